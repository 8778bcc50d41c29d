package io.github.etcdspring.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the etcd client shared by every feature of the starter.
 *
 * @author etcd-spring-boot contributors
 */
@ConfigurationProperties(EtcdProperties.PREFIX)
public class EtcdProperties {

	public static final String PREFIX = "etcd";

	/**
	 * Whether the etcd integration is enabled at all.
	 */
	private boolean enabled = true;

	/**
	 * etcd endpoints, as 'http(s)://host:port' or 'host:port' (which means http, or https
	 * when an SSL bundle is set).
	 */
	private List<String> endpoints = new ArrayList<>(List.of("http://127.0.0.1:2379"));

	/**
	 * User name for etcd authentication.
	 */
	private @Nullable String username;

	/**
	 * Password for etcd authentication.
	 */
	private @Nullable String password;

	/**
	 * Key prefix applied to every key this starter reads or writes, so that several
	 * applications can share one cluster. A trailing '/' is added when missing.
	 */
	private @Nullable String namespace;

	/**
	 * Time allowed to open a connection to an endpoint. Also how long the first call at
	 * startup (the fail-fast check and the first read of a configuration import) waits
	 * for a connection, counted from when the client starts connecting, before it reports
	 * the cluster unreachable; the call itself then gets the request timeout.
	 */
	private Duration dialTimeout = Duration.ofSeconds(5);

	/**
	 * Deadline of each unary request (get, put, txn, lease grant, ...) that has none of
	 * its own. Streams (watch, lease keep-alive) and blocking coordination calls (lock,
	 * campaign) are exempt.
	 */
	private Duration requestTimeout = Duration.ofSeconds(5);

	/**
	 * Time-to-live of the lease that holds this application's registration: an instance
	 * that stops keeping it alive disappears from the registry after this time.
	 */
	private Duration keepaliveTtl = Duration.ofSeconds(10);

	/**
	 * Interval of gRPC keep-alive pings on an idle connection.
	 */
	private Duration keepAliveTime = Duration.ofSeconds(30);

	/**
	 * Time to wait for a gRPC keep-alive ping answer before the connection is considered
	 * dead.
	 */
	private Duration keepAliveTimeout = Duration.ofSeconds(10);

	/**
	 * Authority (virtual host) to send to the server, overriding the one derived from the
	 * endpoints. Useful when TLS certificates name a host other than the one dialled.
	 */
	private @Nullable String authority;

	/**
	 * Largest gRPC message the client accepts from etcd. The gRPC default (4MB) applies
	 * when unset.
	 */
	private @Nullable DataSize maxInboundMessageSize;

	/**
	 * Whether startup fails when the cluster cannot be reached or rejects the
	 * credentials. When false, the application starts and the health indicator reports
	 * DOWN until etcd is reachable.
	 */
	private boolean failFast = true;

	/**
	 * Interval at which the client replaces its endpoints with the client URLs of the
	 * cluster's members, so that it follows members that are added, removed or replaced
	 * (like AutoSyncInterval of etcd's Go client). Off when unset.
	 */
	private @Nullable Duration autoSyncInterval;

	private final Retry retry = new Retry();

	private final Ssl ssl = new Ssl();

	private final Health health = new Health();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public List<String> getEndpoints() {
		return this.endpoints;
	}

	public void setEndpoints(List<String> endpoints) {
		this.endpoints = endpoints;
	}

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public @Nullable String getNamespace() {
		return this.namespace;
	}

	public void setNamespace(@Nullable String namespace) {
		this.namespace = namespace;
	}

	public Duration getDialTimeout() {
		return this.dialTimeout;
	}

	public void setDialTimeout(Duration dialTimeout) {
		this.dialTimeout = dialTimeout;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

	public Duration getKeepaliveTtl() {
		return this.keepaliveTtl;
	}

	public void setKeepaliveTtl(Duration keepaliveTtl) {
		this.keepaliveTtl = keepaliveTtl;
	}

	public Duration getKeepAliveTime() {
		return this.keepAliveTime;
	}

	public void setKeepAliveTime(Duration keepAliveTime) {
		this.keepAliveTime = keepAliveTime;
	}

	public Duration getKeepAliveTimeout() {
		return this.keepAliveTimeout;
	}

	public void setKeepAliveTimeout(Duration keepAliveTimeout) {
		this.keepAliveTimeout = keepAliveTimeout;
	}

	public @Nullable String getAuthority() {
		return this.authority;
	}

	public void setAuthority(@Nullable String authority) {
		this.authority = authority;
	}

	public @Nullable DataSize getMaxInboundMessageSize() {
		return this.maxInboundMessageSize;
	}

	public void setMaxInboundMessageSize(@Nullable DataSize maxInboundMessageSize) {
		this.maxInboundMessageSize = maxInboundMessageSize;
	}

	public boolean isFailFast() {
		return this.failFast;
	}

	public void setFailFast(boolean failFast) {
		this.failFast = failFast;
	}

	public @Nullable Duration getAutoSyncInterval() {
		return this.autoSyncInterval;
	}

	public void setAutoSyncInterval(@Nullable Duration autoSyncInterval) {
		this.autoSyncInterval = autoSyncInterval;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Health getHealth() {
		return this.health;
	}

	/**
	 * How the client retries a request that failed because no endpoint was available, and
	 * how the background watches back off. The description and default of max-attempts
	 * and delay are in the additional metadata (see {@link RetrySettings}).
	 */
	public static class Retry extends RetrySettings {

		/**
		 * Longest delay between two retries.
		 */
		private Duration maxDelay = Duration.ofMillis(2500);

		/**
		 * Time after which a request is no longer retried. Unlimited when unset.
		 */
		private @Nullable Duration maxDuration;

		public Retry() {
			super(2, Duration.ofMillis(500));
		}

		/**
		 * Set the first delay, refusing one that is not positive: with no delay every
		 * retry of the client and of the background watches would follow the failure at
		 * once, in a busy loop.
		 * @param delay the delay
		 */
		@Override
		public void setDelay(Duration delay) {
			if (delay != null && (delay.isZero() || delay.isNegative())) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + ".retry.delay", delay,
						"Must be positive: a zero delay retries in a busy loop");
			}
			super.setDelay(delay);
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public @Nullable Duration getMaxDuration() {
			return this.maxDuration;
		}

		public void setMaxDuration(@Nullable Duration maxDuration) {
			this.maxDuration = maxDuration;
		}

		/**
		 * The backoff of the background watches: {@code delay}, doubled after each failed
		 * attempt up to {@code max-delay}.
		 * @return the backoff
		 */
		public RetryBackoff backoff() {
			return backoff(this.maxDelay);
		}

	}

	/**
	 * TLS settings.
	 */
	public static class Ssl {

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) that holds the trust material and,
		 * for mutual TLS, the client key. Setting it switches the client to TLS.
		 */
		private @Nullable String bundle;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * The {@code etcd} health indicator.
	 */
	public static class Health {

		/**
		 * Least time between two checks of the cluster by the 'etcd' health indicator
		 * (one member list and one status call each); health reads in between are
		 * answered from the last check, so that frequent polling of /actuator/health does
		 * not load etcd.
		 */
		private Duration interval = Duration.ofSeconds(5);

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			if (interval.isNegative() || interval.isZero()) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + ".health.interval", interval,
						"Must be a positive duration, e.g. 5s");
			}
			this.interval = interval;
		}

	}

}
