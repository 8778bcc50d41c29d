package io.github.etcdspring.discovery;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the registry layout and of discovery.
 *
 * @author etcd-spring-boot contributors
 */
@ConfigurationProperties(EtcdDiscoveryProperties.PREFIX)
public class EtcdDiscoveryProperties {

	public static final String PREFIX = "etcd.discovery";

	/**
	 * Whether the etcd DiscoveryClient is enabled.
	 */
	private boolean enabled = true;

	/**
	 * Key prefix of the registry, under etcd.namespace: instances live at
	 * {prefix}/{serviceId}/{instanceId}.
	 */
	private String prefix = "services";

	/**
	 * Whether discovery also returns instances whose status is not UP (DOWN,
	 * OUT_OF_SERVICE, STARTING).
	 */
	private boolean includeUnavailableInstances;

	/**
	 * Order of the etcd DiscoveryClient among several (CompositeDiscoveryClient).
	 */
	private int order;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPrefix() {
		return this.prefix;
	}

	public void setPrefix(String prefix) {
		this.prefix = prefix;
	}

	public boolean isIncludeUnavailableInstances() {
		return this.includeUnavailableInstances;
	}

	public void setIncludeUnavailableInstances(boolean includeUnavailableInstances) {
		this.includeUnavailableInstances = includeUnavailableInstances;
	}

	public int getOrder() {
		return this.order;
	}

	public void setOrder(int order) {
		this.order = order;
	}

}
