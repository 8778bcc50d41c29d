package io.github.etcdspring.registry;

import io.github.etcdspring.endpoint.EtcdEndpointPart;

/**
 * The {@code registrations} part of the {@code etcd} endpoint: this application's
 * registrations ({@link RegistrationReport}), from the state the registry keeps.
 *
 * @author etcd-spring-boot contributors
 */
public class RegistrationsEndpointPart implements EtcdEndpointPart {

	private final EtcdServiceRegistry registry;

	public RegistrationsEndpointPart(EtcdServiceRegistry registry) {
		this.registry = registry;
	}

	@Override
	public String name() {
		return "registrations";
	}

	@Override
	public Object describe() {
		return this.registry.report();
	}

}
