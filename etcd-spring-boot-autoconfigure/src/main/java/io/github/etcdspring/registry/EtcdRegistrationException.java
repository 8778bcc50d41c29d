package io.github.etcdspring.registry;

import io.github.etcdspring.client.EtcdFailure;

/**
 * Thrown when an instance cannot be registered and {@code etcd.fail-fast} is on.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdRegistrationException extends RuntimeException {

	private final EtcdFailure failure;

	public EtcdRegistrationException(String message, EtcdFailure failure, Throwable cause) {
		super(message, cause);
		this.failure = failure;
	}

	public EtcdFailure getFailure() {
		return this.failure;
	}

}
