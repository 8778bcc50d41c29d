package io.github.etcdspring.registry;

/**
 * Callback to change a registration (metadata, weight, address, ...) just before it is
 * written to etcd. Applied to the service's registration and, when there is one, to the
 * gRPC registration.
 *
 * @author etcd-spring-boot contributors
 */
@FunctionalInterface
public interface EtcdRegistrationCustomizer {

	void customize(EtcdRegistration registration);

}
