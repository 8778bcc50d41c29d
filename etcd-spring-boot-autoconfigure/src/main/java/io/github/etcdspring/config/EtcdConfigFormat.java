package io.github.etcdspring.config;

/**
 * How configuration is stored under a context.
 *
 * @author etcd-spring-boot contributors
 */
public enum EtcdConfigFormat {

	/**
	 * Each key under a context is one property: {context}/server/port holds server.port.
	 */
	KEY_VALUE,

	/**
	 * One key under a context ({context}/{data-key}) holds a .properties document.
	 */
	PROPERTIES,

	/**
	 * One key under a context ({context}/{data-key}) holds a YAML document.
	 */
	YAML,

	/**
	 * One key under a context ({context}/{data-key}) holds a JSON object.
	 */
	JSON,

	/**
	 * Keys named like configuration files, {prefix}/payments.yaml or
	 * {prefix}/payments-dev.properties, each parsed by its extension (.properties, .yaml,
	 * .yml, .json).
	 */
	FILES

}
