package io.github.etcdspring.discovery;

/**
 * A registered listener; closing it stops the notifications.
 *
 * @author etcd-spring-boot contributors
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

	@Override
	void close();

}
