package io.github.etcdspring.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.etcdspring.client.RetrySettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How this application registers itself in the etcd registry. The names follow the Go
 * registries' {@code service.*} settings.
 *
 * @author etcd-spring-boot contributors
 */
@ConfigurationProperties(EtcdServiceProperties.PREFIX)
public class EtcdServiceProperties {

	public static final String PREFIX = "service";

	/**
	 * Whether this application takes part in the etcd registry at all.
	 */
	private boolean enabled = true;

	/**
	 * Whether to register this application; false discovers other services only.
	 */
	private boolean register = true;

	/**
	 * Whether to remove the registration on shutdown; false leaves the key to expire with
	 * its lease.
	 */
	private boolean deregister = true;

	/**
	 * Service name (service id). Defaults to spring.application.name.
	 */
	private @Nullable String name;

	/**
	 * Address to register. Chosen from the local addresses when unset (see
	 * service-use-subnet).
	 */
	private @Nullable String host;

	/**
	 * Port to register. Defaults to the port the web server bound; required for non-web
	 * applications.
	 */
	private @Nullable Integer port;

	/**
	 * Subnet (CIDR, e.g. 10.0.0.0/8 or fd00::/8) whose local address is registered when
	 * no host is set. Any non-loopback address when unset.
	 */
	private @Nullable String serviceUseSubnet;

	/**
	 * Instance id, unique within the service. Defaults to host:port, stable across
	 * restarts on the same host and port.
	 */
	private @Nullable String instanceId;

	/**
	 * Whether the instance is reached over TLS (https).
	 */
	private boolean secure;

	/**
	 * Weight for Spring Cloud LoadBalancer's weighted configuration.
	 */
	private int weight = 1;

	/**
	 * Metadata of the instance. The 'zone' entry is read by Spring Cloud LoadBalancer's
	 * zone-preference configuration.
	 */
	private Map<String, String> metadata = new LinkedHashMap<>();

	/**
	 * Formats the instance (and the gRPC registration) is published in, under one lease:
	 * 'native' and any of kitex, gokit, gone, go-core, grpc-naming, kratos, go-zero (each
	 * under its etcd.formats.<format>.prefix), e.g. 'native,kitex,grpc-naming'.
	 */
	private List<String> formats = new ArrayList<>(List.of("native"));

	private final Grpc grpc = new Grpc();

	private final Retry retry = new Retry();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isRegister() {
		return this.register;
	}

	public void setRegister(boolean register) {
		this.register = register;
	}

	public boolean isDeregister() {
		return this.deregister;
	}

	public void setDeregister(boolean deregister) {
		this.deregister = deregister;
	}

	public @Nullable String getName() {
		return this.name;
	}

	public void setName(@Nullable String name) {
		this.name = name;
	}

	public @Nullable String getHost() {
		return this.host;
	}

	public void setHost(@Nullable String host) {
		this.host = host;
	}

	public @Nullable Integer getPort() {
		return this.port;
	}

	public void setPort(@Nullable Integer port) {
		this.port = port;
	}

	public @Nullable String getServiceUseSubnet() {
		return this.serviceUseSubnet;
	}

	public void setServiceUseSubnet(@Nullable String serviceUseSubnet) {
		this.serviceUseSubnet = serviceUseSubnet;
	}

	public @Nullable String getInstanceId() {
		return this.instanceId;
	}

	public void setInstanceId(@Nullable String instanceId) {
		this.instanceId = instanceId;
	}

	public boolean isSecure() {
		return this.secure;
	}

	public void setSecure(boolean secure) {
		this.secure = secure;
	}

	public int getWeight() {
		return this.weight;
	}

	public void setWeight(int weight) {
		this.weight = weight;
	}

	public List<String> getFormats() {
		return this.formats;
	}

	public void setFormats(List<String> formats) {
		this.formats = formats;
	}

	public Map<String, String> getMetadata() {
		return this.metadata;
	}

	public void setMetadata(Map<String, String> metadata) {
		this.metadata = metadata;
	}

	public Grpc getGrpc() {
		return this.grpc;
	}

	public Retry getRetry() {
		return this.retry;
	}

	/**
	 * A gRPC server registered as an instance of its own.
	 */
	public static class Grpc {

		/**
		 * Service name of the gRPC server. Defaults to the service name followed by
		 * '-grpc'.
		 */
		private @Nullable String name;

		/**
		 * Address of the gRPC server. Defaults to the address of the service.
		 */
		private @Nullable String host;

		/**
		 * Port of the gRPC server. The gRPC server is registered only when it is set.
		 */
		private @Nullable Integer port;

		/**
		 * Subnet (CIDR) whose local address is registered for the gRPC server when no
		 * host is set.
		 */
		private @Nullable String serviceUseSubnet;

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public @Nullable String getHost() {
			return this.host;
		}

		public void setHost(@Nullable String host) {
			this.host = host;
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public @Nullable String getServiceUseSubnet() {
			return this.serviceUseSubnet;
		}

		public void setServiceUseSubnet(@Nullable String serviceUseSubnet) {
			this.serviceUseSubnet = serviceUseSubnet;
		}

	}

	/**
	 * How a lost registration is restored. The description and default of max-attempts
	 * and delay are in the additional metadata (see {@link RetrySettings}); the restore
	 * backs off up to etcd.retry.max-delay. The check interval is here, not in
	 * {@link RetrySettings}: it is how often a loss is looked for, not how a retry waits,
	 * and etcd.retry has nothing like it.
	 */
	public static class Retry extends RetrySettings {

		/**
		 * How often to check that the registration is still in etcd, in addition to
		 * watching it.
		 */
		private Duration checkInterval = Duration.ofSeconds(10);

		public Retry() {
			super(0, Duration.ofSeconds(1));
		}

		public Duration getCheckInterval() {
			return this.checkInterval;
		}

		public void setCheckInterval(Duration checkInterval) {
			this.checkInterval = checkInterval;
		}

	}

}
