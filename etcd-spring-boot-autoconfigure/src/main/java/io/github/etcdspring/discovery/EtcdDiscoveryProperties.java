package io.github.etcdspring.discovery;

import java.util.ArrayList;
import java.util.List;

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
	 * Registry formats discovery reads: native (the starter's own), kitex, gokit, gone,
	 * go-core, grpc-naming, kratos, go-zero. Instances of one service id in several
	 * formats are one service.
	 */
	private List<String> formats = new ArrayList<>(List.of("native"));

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

	public List<String> getFormats() {
		return this.formats;
	}

	public void setFormats(List<String> formats) {
		this.formats = formats;
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
