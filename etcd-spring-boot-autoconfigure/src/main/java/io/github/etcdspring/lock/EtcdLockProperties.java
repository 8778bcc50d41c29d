package io.github.etcdspring.lock;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Distributed locks.
 *
 * @author etcd-spring-boot contributors
 */
@ConfigurationProperties(EtcdLockProperties.PREFIX)
public class EtcdLockProperties {

	public static final String PREFIX = "etcd.lock";

	/**
	 * Whether to offer the lock registry.
	 */
	private boolean enabled = true;

	/**
	 * Prefix of the locks' keys, after etcd.namespace: the lock NAME lives under
	 * {prefix}/NAME/, as for 'etcdctl lock {prefix}/NAME'. Not empty.
	 */
	private String prefix = "locks";

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

	/**
	 * The prefix, checked.
	 * @return the prefix
	 * @throws InvalidConfigurationPropertyValueException when it is empty, only slashes,
	 * or holds a control character
	 */
	String checkedPrefix() {
		if (this.prefix.replace("/", "").isBlank()) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".prefix", this.prefix,
					"Must not be empty: the locks' keys would share the root of the key space with every other key");
		}
		if (this.prefix.chars().anyMatch(Character::isISOControl)) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".prefix", this.prefix,
					"Must not contain a control character");
		}
		return this.prefix;
	}

}
