package io.github.etcdspring.discovery;

/**
 * Receives the changes of the registry, in revision order, on the discovery thread: hand
 * long work off to another thread.
 *
 * @author etcd-spring-boot contributors
 */
@FunctionalInterface
public interface EtcdServiceListener {

	void onEvent(EtcdServiceEvent event);

}
