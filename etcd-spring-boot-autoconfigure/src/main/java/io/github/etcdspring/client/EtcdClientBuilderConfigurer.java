package io.github.etcdspring.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

import javax.net.ssl.SSLException;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.ClientBuilder;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContextBuilder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.util.StringUtils;

/**
 * Applies {@link EtcdProperties} and {@link EtcdConnectionDetails} to a jetcd
 * {@link ClientBuilder}, rejecting values that cannot work with an error that names the
 * property. Also used to build the short-lived client that reads configuration before the
 * application context exists.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdClientBuilderConfigurer {

	private static final Log logger = LogFactory.getLog(EtcdClientBuilderConfigurer.class);

	private final EtcdProperties properties;

	private final EtcdConnectionDetails connectionDetails;

	private @Nullable ReloadableSslContext sslContext;

	public EtcdClientBuilderConfigurer(EtcdProperties properties, EtcdConnectionDetails connectionDetails) {
		this.properties = properties;
		this.connectionDetails = connectionDetails;
	}

	public ClientBuilder configure(ClientBuilder builder) {
		List<URI> endpoints = this.connectionDetails.getEndpoints();
		SslBundle sslBundle = this.connectionDetails.getSslBundle();
		checkTransportSecurity(endpoints, sslBundle != null);
		builder.endpoints(endpoints);
		if (sslBundle != null) {
			this.sslContext = new ReloadableSslContext(sslContext(sslBundle));
			builder.sslContext(this.sslContext);
		}
		configureCredentials(builder);
		if (StringUtils.hasLength(this.properties.getNamespace())) {
			builder.namespace(bytes(namespace(this.properties.getNamespace())));
		}
		builder.connectTimeout(positive("dial-timeout", this.properties.getDialTimeout()));
		builder.keepaliveTime(positive("keep-alive-time", this.properties.getKeepAliveTime()));
		builder.keepaliveTimeout(positive("keep-alive-timeout", this.properties.getKeepAliveTimeout()));
		builder.interceptor(
				new UnaryCallDeadlineInterceptor(positive("request-timeout", this.properties.getRequestTimeout())));
		configureRetry(builder, this.properties.getRetry());
		if (StringUtils.hasText(this.properties.getAuthority())) {
			builder.authority(this.properties.getAuthority());
		}
		if (this.properties.getMaxInboundMessageSize() != null) {
			long size = this.properties.getMaxInboundMessageSize().toBytes();
			if (size <= 0 || size > Integer.MAX_VALUE) {
				throw invalid("max-inbound-message-size", this.properties.getMaxInboundMessageSize(),
						"Must be between 1B and 2GB");
			}
			builder.maxInboundMessageSize((int) size);
		}
		return builder;
	}

	/**
	 * Use a reloaded SSL bundle for the connections that the clients {@link #configure
	 * configured} here open from now on; open connections keep theirs. A bundle that
	 * cannot be used is logged, and the previous one stays.
	 * @param bundle the reloaded bundle
	 */
	public void reloadSslBundle(SslBundle bundle) {
		if (this.sslContext == null) {
			return;
		}
		try {
			this.sslContext.update(sslContext(bundle));
			logger.info("SSL bundle '" + this.properties.getSsl().getBundle()
					+ "' reloaded: new connections to etcd use it");
		}
		catch (RuntimeException ex) {
			logger.error("Could not use the reloaded SSL bundle '" + this.properties.getSsl().getBundle()
					+ "' for etcd; new connections keep the previous one", ex);
		}
	}

	/**
	 * The namespace as a key prefix: with a trailing '/', so that 'app1' and 'app10'
	 * never see each other's keys.
	 * @param namespace the configured namespace
	 * @return the key prefix
	 */
	static String namespace(String namespace) {
		return namespace.endsWith("/") ? namespace : namespace + "/";
	}

	private void checkTransportSecurity(List<URI> endpoints, boolean tls) {
		for (URI endpoint : endpoints) {
			if (EtcdEndpoints.isSecure(endpoint) != tls) {
				String reason = tls
						? "Plain-text endpoint while an SSL bundle is set (etcd.ssl.bundle): use https:// endpoints or remove the bundle"
						: "TLS endpoint without an SSL bundle: set etcd.ssl.bundle to a bundle (spring.ssl.bundle.*) that trusts the server";
				throw new InvalidConfigurationPropertyValueException(EtcdProperties.PREFIX + ".endpoints", endpoint,
						reason);
			}
		}
	}

	private void configureCredentials(ClientBuilder builder) {
		String username = this.connectionDetails.getUsername();
		String password = this.connectionDetails.getPassword();
		if (StringUtils.hasLength(username) != StringUtils.hasLength(password)) {
			throw invalid(StringUtils.hasLength(username) ? "password" : "username", null,
					"etcd.username and etcd.password must be set together");
		}
		if (StringUtils.hasLength(username)) {
			builder.user(bytes(username));
			builder.password(bytes(password));
		}
	}

	private void configureRetry(ClientBuilder builder, EtcdProperties.Retry retry) {
		if (retry.getMaxAttempts() < 0) {
			throw invalid("retry.max-attempts", retry.getMaxAttempts(), "Must not be negative");
		}
		Duration delay = retry.getDelay();
		if (delay == null) { // a zero or negative delay is refused when it is bound
			throw invalid("retry.delay", delay, "Must be set");
		}
		Duration maxDelay = retry.getMaxDelay();
		if (maxDelay == null || maxDelay.compareTo(delay) < 0) {
			throw invalid("retry.max-delay", maxDelay, "Must not be shorter than etcd.retry.delay (" + delay + ")");
		}
		builder.retryMaxAttempts(retry.getMaxAttempts());
		builder.retryChronoUnit(ChronoUnit.MILLIS);
		builder.retryDelay(delay.toMillis());
		builder.retryMaxDelay(maxDelay.toMillis());
		if (retry.getMaxDuration() != null) {
			builder.retryMaxDuration(positive("retry.max-duration", retry.getMaxDuration()));
		}
	}

	private io.netty.handler.ssl.SslContext sslContext(SslBundle bundle) {
		// GrpcSslContexts sets up the ALPN negotiation of HTTP/2 that gRPC needs.
		SslContextBuilder sslContextBuilder = GrpcSslContexts.forClient()
			.trustManager(bundle.getManagers().getTrustManagerFactory());
		if (bundle.getStores().getKeyStore() != null) {
			sslContextBuilder.keyManager(bundle.getManagers().getKeyManagerFactory());
		}
		SslOptions options = bundle.getOptions();
		if (options.getCiphers() != null) {
			sslContextBuilder.ciphers(List.of(options.getCiphers()));
		}
		if (options.getEnabledProtocols() != null) {
			sslContextBuilder.protocols(options.getEnabledProtocols());
		}
		try {
			return sslContextBuilder.build();
		}
		catch (SSLException ex) {
			throw new InvalidConfigurationPropertyValueException(EtcdProperties.PREFIX + ".ssl.bundle",
					this.properties.getSsl().getBundle(), "The bundle cannot be used for TLS: " + ex.getMessage());
		}
	}

	private static Duration positive(String property, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw invalid(property, value, "Must be a positive duration, e.g. 5s or 500ms");
		}
		return value;
	}

	private static InvalidConfigurationPropertyValueException invalid(String property, @Nullable Object value,
			String reason) {
		return new InvalidConfigurationPropertyValueException(EtcdProperties.PREFIX + "." + property, value, reason);
	}

	private static ByteSequence bytes(String value) {
		return ByteSequence.from(value, StandardCharsets.UTF_8);
	}

}
