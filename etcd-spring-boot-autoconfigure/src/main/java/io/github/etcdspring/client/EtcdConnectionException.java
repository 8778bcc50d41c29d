package io.github.etcdspring.client;

import java.net.URI;
import java.util.List;

/**
 * Thrown at startup when {@code etcd.fail-fast} is on and the cluster cannot be used.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdConnectionException extends RuntimeException {

	private final List<URI> endpoints;

	private final EtcdFailure failure;

	public EtcdConnectionException(List<URI> endpoints, EtcdFailure failure, String detail, Throwable cause) {
		super("Could not connect to etcd at " + endpoints + ": " + failure.description() + " (" + detail + ")", cause);
		this.endpoints = endpoints;
		this.failure = failure;
	}

	public List<URI> getEndpoints() {
		return this.endpoints;
	}

	public EtcdFailure getFailure() {
		return this.failure;
	}

}
