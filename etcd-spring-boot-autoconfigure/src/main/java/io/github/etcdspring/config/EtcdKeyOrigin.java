package io.github.etcdspring.config;

import org.springframework.boot.origin.Origin;

/**
 * Where a property came from: an etcd key, shown by the actuator's env endpoint and in
 * binding errors.
 *
 * @param key the etcd key, under etcd.namespace
 * @author etcd-spring-boot contributors
 */
record EtcdKeyOrigin(String key) implements Origin {

	@Override
	public String toString() {
		return "etcd key '" + this.key + "'";
	}

}
