package io.github.etcdspring.registry;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The meters of this application's registration:
 * {@code etcd.registry.keepalive.failures}, {@code etcd.registry.lease.losses} and
 * {@code etcd.registry.reregistrations} (tag {@code reason}, see
 * {@link ReregistrationReason}), and the gauge {@code etcd.registry.registrations}, how
 * many of its instances are in etcd now.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdRegistryMeterBinder implements MeterBinder {

	private final EtcdServiceRegistry registry;

	public EtcdRegistryMeterBinder(EtcdServiceRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void bindTo(MeterRegistry meterRegistry) {
		RegistrationStatistics statistics = this.registry.getStatistics();
		FunctionCounter
			.builder("etcd.registry.keepalive.failures", statistics, RegistrationStatistics::keepAliveFailures)
			.description("Failures of the keep-alive of this application's registration lease")
			.register(meterRegistry);
		for (ReregistrationReason reason : ReregistrationReason.values()) {
			if (reason != ReregistrationReason.REGISTRATION_FAILED) {
				FunctionCounter.builder("etcd.registry.lease.losses", statistics, (stats) -> stats.losses(reason))
					.description("Losses of this application's registration")
					.tag("reason", reason.tagValue())
					.register(meterRegistry);
			}
			FunctionCounter
				.builder("etcd.registry.reregistrations", statistics, (stats) -> stats.reregistrations(reason))
				.description("Registrations of this application written again after a loss or a first failure")
				.tag("reason", reason.tagValue())
				.register(meterRegistry);
		}
		Gauge.builder("etcd.registry.registrations", this.registry, EtcdRegistryMeterBinder::registered)
			.description("This application's instances in etcd now")
			.register(meterRegistry);
	}

	private static double registered(EtcdServiceRegistry registry) {
		return RegistrationState.REGISTERED.name().equals(registry.getState()) ? registry.report().size() : 0;
	}

}
