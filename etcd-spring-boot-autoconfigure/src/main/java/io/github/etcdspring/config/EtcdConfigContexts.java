package io.github.etcdspring.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;

/**
 * Works out which contexts an application reads: the automatic ones, from the shared
 * context to the most specific, or those listed in an {@code etcd:} import.
 *
 * @author etcd-spring-boot contributors
 */
public final class EtcdConfigContexts {

	/**
	 * The prefix of {@code spring.config.import} locations served by etcd.
	 */
	public static final String LOCATION_PREFIX = "etcd:";

	private EtcdConfigContexts() {
	}

	/**
	 * The automatic contexts, lowest precedence first: {prefix}/{default-context}, then
	 * that with each profile, then {prefix}/{name}, then that with each profile. Later
	 * profiles win, as in Spring Boot.
	 * @param properties the settings
	 * @param applicationName the name of the application ({@code etcd.config.name} takes
	 * precedence), or {@code null}
	 * @param profiles the active profiles, in activation order
	 * @return the contexts
	 */
	public static List<EtcdConfigContext> automatic(EtcdConfigProperties properties, @Nullable String applicationName,
			List<String> profiles) {
		String separator = profileSeparator(properties);
		List<String> names = new ArrayList<>();
		names.add(properties.getDefaultContext());
		String name = StringUtils.hasText(properties.getName()) ? properties.getName() : applicationName;
		if (StringUtils.hasText(name) && !name.equals(properties.getDefaultContext())) {
			names.add(name);
		}
		List<EtcdConfigContext> contexts = new ArrayList<>();
		for (String contextName : names) {
			String path = join(properties.getPrefix(), contextName);
			contexts.add(context(path, properties));
			profiles.forEach((profile) -> contexts.add(context(path + separator + profile, properties)));
		}
		return contexts;
	}

	/**
	 * The contexts an import location names, lowest precedence first.
	 * @param location an {@code etcd:} location such as
	 * {@code etcd:/config/shared;/config/payments}, where the leading '/' of each context
	 * only separates it (write {@code //} for keys that begin with '/')
	 * @param properties the settings
	 * @return the contexts, empty when the location names none (the automatic contexts
	 * apply)
	 */
	public static List<EtcdConfigContext> explicit(String location, EtcdConfigProperties properties) {
		String paths = location.startsWith(LOCATION_PREFIX) ? location.substring(LOCATION_PREFIX.length()) : location;
		return Arrays.stream(paths.split(";"))
			.map(String::trim)
			.filter(StringUtils::hasText)
			.map((path) -> path.startsWith("/") ? path.substring(1) : path)
			.map((path) -> path.endsWith("/") ? path.substring(0, path.length() - 1) : path)
			.filter(StringUtils::hasText)
			.map((path) -> context(path, properties))
			.toList();
	}

	/**
	 * A context under the prefix.
	 * @param name the context's name, such as {@code payments,dev}
	 * @param properties the settings
	 * @return the context {prefix}/{name}
	 */
	public static EtcdConfigContext named(String name, EtcdConfigProperties properties) {
		return context(join(properties.getPrefix(), name), properties);
	}

	private static EtcdConfigContext context(String path, EtcdConfigProperties properties) {
		if (properties.getFormat() == null) {
			throw new InvalidConfigurationPropertyValueException(EtcdConfigProperties.PREFIX + ".format", null,
					"A format is required");
		}
		if (properties.getFormat() != EtcdConfigFormat.KEY_VALUE && properties.getFormat() != EtcdConfigFormat.FILES
				&& !StringUtils.hasText(properties.getDataKey())) {
			throw new InvalidConfigurationPropertyValueException(EtcdConfigProperties.PREFIX + ".data-key",
					properties.getDataKey(), "The " + properties.getFormat() + " format needs a key for its document");
		}
		return new EtcdConfigContext(path, properties.getFormat(), properties.getDataKey());
	}

	private static String profileSeparator(EtcdConfigProperties properties) {
		if (properties.getProfileSeparator() != null) {
			return properties.getProfileSeparator();
		}
		return (properties.getFormat() == EtcdConfigFormat.FILES) ? "-" : ",";
	}

	private static String join(String prefix, String name) {
		if (!StringUtils.hasLength(prefix)) {
			return name;
		}
		return prefix.endsWith("/") ? prefix + name : prefix + "/" + name;
	}

}
