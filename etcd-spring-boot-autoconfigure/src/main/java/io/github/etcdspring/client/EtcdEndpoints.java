package io.github.etcdspring.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;

/**
 * Parses the entries of {@code etcd.endpoints} into URIs, naming the offending entry when
 * one is malformed; an entry with user info is shown without it, since it may hold a
 * password.
 *
 * @author etcd-spring-boot contributors
 */
final class EtcdEndpoints {

	static final int DEFAULT_PORT = 2379;

	private static final String PROPERTY = EtcdProperties.PREFIX + ".endpoints";

	private static final String EXPECTED = "Expected 'host:port' or 'http(s)://host:port'";

	private EtcdEndpoints() {
	}

	/**
	 * Parse endpoint entries.
	 * @param entries the configured entries
	 * @param secureByDefault whether an entry without a scheme means https rather than
	 * http
	 * @return the endpoints, each with a scheme, a host and a port
	 * @throws InvalidConfigurationPropertyValueException naming the first malformed entry
	 */
	static List<URI> parse(List<String> entries, boolean secureByDefault) {
		if (entries == null || entries.isEmpty()) {
			throw new InvalidConfigurationPropertyValueException(PROPERTY, entries,
					"At least one etcd endpoint is required");
		}
		List<URI> endpoints = new ArrayList<>(entries.size());
		for (int i = 0; i < entries.size(); i++) {
			endpoints.add(parse(PROPERTY + "[" + i + "]", entries.get(i), secureByDefault));
		}
		return List.copyOf(endpoints);
	}

	private static URI parse(String property, String entry, boolean secureByDefault) {
		if (!StringUtils.hasText(entry)) {
			throw new InvalidConfigurationPropertyValueException(property, entry, "An endpoint must not be blank");
		}
		String trimmed = entry.trim();
		int at = trimmed.lastIndexOf('@');
		if (at >= 0) {
			int start = trimmed.contains("://") ? trimmed.indexOf("://") + 3 : 0;
			String withoutUserInfo = trimmed.substring(0, start) + "******" + trimmed.substring(at);
			throw new InvalidConfigurationPropertyValueException(property, withoutUserInfo,
					EXPECTED + ": user info is not allowed (use etcd.username and etcd.password)");
		}
		String withScheme = trimmed.contains("://") ? trimmed : (secureByDefault ? "https://" : "http://") + trimmed;
		URI uri;
		try {
			uri = new URI(withScheme);
		}
		catch (URISyntaxException ex) {
			throw new InvalidConfigurationPropertyValueException(property, entry, EXPECTED + ": " + ex.getReason());
		}
		if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
			throw new InvalidConfigurationPropertyValueException(property, entry,
					EXPECTED + ": the scheme must be http or https");
		}
		if (uri.getHost() == null) {
			throw new InvalidConfigurationPropertyValueException(property, entry, EXPECTED
					+ ": no host and numeric port could be read (IPv6 addresses need brackets, e.g. [::1]:2379)");
		}
		if (StringUtils.hasLength(uri.getRawPath()) && !"/".equals(uri.getRawPath()) || uri.getRawQuery() != null) {
			throw new InvalidConfigurationPropertyValueException(property, entry,
					EXPECTED + ": paths and queries are not allowed");
		}
		int port = (uri.getPort() != -1) ? uri.getPort() : DEFAULT_PORT;
		// URI#getHost keeps the brackets of an IPv6 literal
		return URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + port);
	}

	static boolean isSecure(URI endpoint) {
		return "https".equals(endpoint.getScheme());
	}

}
