package io.github.etcdspring.embedded;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the local etcd that the application can start for itself, for development
 * and demos.
 *
 * @author etcd-spring-boot contributors
 */
@ConfigurationProperties(EmbeddedEtcdProperties.PREFIX)
public class EmbeddedEtcdProperties {

	public static final String PREFIX = "etcd.embedded";

	/**
	 * Whether to start a local etcd server (the 'etcd' binary) with the application and
	 * connect to it instead of etcd.endpoints.
	 */
	private boolean enabled;

	/**
	 * Location of the etcd binary. Searched on the PATH when unset.
	 */
	private @Nullable String binary;

	/**
	 * Loopback port for clients. A free port is chosen when 0.
	 */
	private int clientPort;

	/**
	 * Directory for the server's data, kept across restarts. A temporary directory,
	 * deleted on shutdown, when unset.
	 */
	private @Nullable String dataDirectory;

	/**
	 * How long to wait for the server to serve clients.
	 */
	private Duration startupTimeout = Duration.ofSeconds(30);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getBinary() {
		return this.binary;
	}

	public void setBinary(@Nullable String binary) {
		this.binary = binary;
	}

	public int getClientPort() {
		return this.clientPort;
	}

	public void setClientPort(int clientPort) {
		this.clientPort = clientPort;
	}

	public @Nullable String getDataDirectory() {
		return this.dataDirectory;
	}

	public void setDataDirectory(@Nullable String dataDirectory) {
		this.dataDirectory = dataDirectory;
	}

	public Duration getStartupTimeout() {
		return this.startupTimeout;
	}

	public void setStartupTimeout(Duration startupTimeout) {
		this.startupTimeout = startupTimeout;
	}

}
