package io.github.etcdspring.registry;

import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * The observations {@code etcd.registry.register} and {@code etcd.registry.deregister}
 * around the registry's calls: low-cardinality key value {@code outcome} (see
 * {@link EtcdServiceRegistry#register(EtcdRegistration)}), high-cardinality
 * {@code service.id}.
 *
 * @author etcd-spring-boot contributors
 */
final class RegistryObservations {

	static final String REGISTER = "etcd.registry.register";

	static final String DEREGISTER = "etcd.registry.deregister";

	private volatile ObservationRegistry registry = ObservationRegistry.NOOP;

	void use(ObservationRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Observe a call.
	 * @param name the observation's name
	 * @param registration the registration concerned
	 * @param call the call, returning its outcome
	 */
	void observe(String name, EtcdRegistration registration, Supplier<String> call) {
		Observation observation = Observation.createNotStarted(name, this.registry)
			.contextualName(name.substring(name.lastIndexOf('.') + 1) + " " + registration.getServiceId())
			.highCardinalityKeyValue("service.id", registration.getServiceId())
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			observation.lowCardinalityKeyValue("outcome", call.get());
		}
		catch (RuntimeException ex) {
			observation.lowCardinalityKeyValue("outcome", "failed");
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

}
