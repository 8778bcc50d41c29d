package io.github.etcdspring.template;

/**
 * A prefix followed by {@link EtcdTemplate#watchPrefix}: closing it closes the watch and
 * its thread.
 *
 * @author etcd-spring-boot contributors
 */
public interface EtcdPrefixSubscription extends AutoCloseable {

	/**
	 * Stop following the prefix; no listener call starts afterwards. Any thread.
	 */
	@Override
	void close();

}
