package io.github.etcdspring.config;

import java.net.URI;
import java.util.List;

import io.github.etcdspring.client.EtcdFailure;

/**
 * Configuration that an application requires could not be read from etcd.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdConfigDataException extends RuntimeException {

	private final List<URI> endpoints;

	private final List<EtcdConfigContext> contexts;

	private final EtcdFailure failure;

	public EtcdConfigDataException(List<URI> endpoints, List<EtcdConfigContext> contexts, EtcdFailure failure,
			String detail, Throwable cause) {
		super("Could not read configuration contexts " + contexts + " from etcd at " + endpoints + ": "
				+ failure.description() + " (" + detail + ")", cause);
		this.endpoints = List.copyOf(endpoints);
		this.contexts = List.copyOf(contexts);
		this.failure = failure;
	}

	public List<URI> getEndpoints() {
		return this.endpoints;
	}

	public List<EtcdConfigContext> getContexts() {
		return this.contexts;
	}

	public EtcdFailure getFailure() {
		return this.failure;
	}

}
