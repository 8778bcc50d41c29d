package io.github.etcdspring.format;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the registry format.
 *
 * @author etcd-spring-boot contributors
 */
@ConfigurationProperties(EtcdRegistryFormatProperties.PREFIX)
public class EtcdRegistryFormatProperties {

	public static final String PREFIX = "etcd.registry";

	/**
	 * Format of the registry's keys and values, written by the service registry and read
	 * by discovery.
	 */
	private Format format = Format.JSON;

	public Format getFormat() {
		return this.format;
	}

	public void setFormat(Format format) {
		this.format = format;
	}

	/**
	 * The registry formats.
	 */
	public enum Format {

		/**
		 * The starter's own format: one JSON document per instance (needs Jackson).
		 */
		JSON

	}

}
