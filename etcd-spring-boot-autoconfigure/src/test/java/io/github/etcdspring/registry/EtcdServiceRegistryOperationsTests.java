package io.github.etcdspring.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.etcdspring.endpoint.EtcdEndpoint;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What operators see of the registration: the {@code registrations} part of the
 * {@code etcd} endpoint, the meters and the observations, before and after a loss.
 */
class EtcdServiceRegistryOperationsTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	/**
	 * The periodic check is out of the way (an hour), so that the deletion watch is what
	 * finds the key deleted.
	 */
	@Test
	void theRegistrationsPartAndTheMetersShowAReregistrationAfterTheKeyIsDeleted() {
		try (ConfigurableApplicationContext app = start("service.name=shown", "service.port=8201",
				"service.retry.check-interval=1h")) {
			EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
			long firstLease = registry.getLeaseId();
			RegistrationReport report = registrations(app).get(0);
			assertThat(registrations(app)).hasSize(1);
			assertThat(report.serviceId()).isEqualTo("shown");
			assertThat(report.status()).isEqualTo("UP");
			assertThat(report.state()).isEqualTo("REGISTERED");
			assertThat(report.keys()).containsExactly(Map.entry("native", "services/shown/127.0.0.1:8201"));
			assertThat(report.leaseId()).isEqualTo(Long.toHexString(firstLease));
			assertThat(report.ttlSeconds()).isEqualTo(3);
			assertThat(report.remainingMillis()).isPositive().isLessThanOrEqualTo(3000);
			assertThat(Instant.parse(report.lastKeepAlive())).isNotNull();
			assertThat(report.reregistrations()).isZero();
			assertThat(report.lastReregistrationReason()).isNull();
			assertThat(report.lastReregistrationTime()).isNull();
			MeterRegistry meters = app.getBean(MeterRegistry.class);
			assertThat(meters.get("etcd.registry.registrations").gauge().value()).isEqualTo(1);

			EtcdKeys.delete(etcd.client(), "services/shown/127.0.0.1:8201");
			await().atMost(BOUND).until(() -> registrations(app).get(0).reregistrations() == 1);
			await().atMost(BOUND).until(() -> registry.getState().equals("REGISTERED"));
			RegistrationReport after = registrations(app).get(0);
			assertThat(after.lastReregistrationReason()).isEqualTo("key-deleted");
			assertThat(Instant.parse(after.lastReregistrationTime()))
				.isAfterOrEqualTo(Instant.parse(report.lastKeepAlive()));
			assertThat(after.leaseId()).isEqualTo(Long.toHexString(registry.getLeaseId()))
				.isNotEqualTo(report.leaseId());
			assertThat(after.state()).isEqualTo("REGISTERED");
			assertThat(counter(meters, "etcd.registry.lease.losses", "key-deleted")).isEqualTo(1);
			assertThat(counter(meters, "etcd.registry.reregistrations", "key-deleted")).isEqualTo(1);
			assertThat(counter(meters, "etcd.registry.lease.losses", "keepalive-timeout")).isZero();
			assertThat(meters.get("etcd.registry.keepalive.failures").functionCounter().count())
				.as("the keep-alive of the replaced lease was stopped, not failed")
				.isZero();
			assertThat(meters.get("etcd.registry.registrations").gauge().value()).isEqualTo(1);
		}
	}

	/**
	 * Paused past the TTL, etcd answers no keep-alive: jetcd ends the keep-alive when the
	 * TTL runs out, which counts as a keep-alive failure and a loss.
	 */
	@Test
	void aKeepAliveTimeoutIsCountedAsAKeepAliveFailureALossAndAReregistration() {
		try (ConfigurableApplicationContext app = start("service.name=timed-out", "service.port=8202",
				"service.retry.check-interval=1h")) {
			MeterRegistry meters = app.getBean(MeterRegistry.class);
			assertThat(meters.get("etcd.registry.keepalive.failures").functionCounter().count()).isZero();
			etcd.pause(0);
			try {
				await().atMost(BOUND)
					.until(() -> counter(meters, "etcd.registry.lease.losses", "keepalive-timeout") == 1);
			}
			finally {
				etcd.resume(0);
			}
			assertThat(meters.get("etcd.registry.keepalive.failures").functionCounter().count()).isPositive();
			await().atMost(BOUND)
				.until(() -> counter(meters, "etcd.registry.reregistrations", "keepalive-timeout") == 1);
			assertThat(registrations(app).get(0).lastReregistrationReason()).isEqualTo("keepalive-timeout");
			assertThat(registrations(app).get(0).keepAliveFailures()).isPositive();
		}
	}

	@Test
	void registerAndDeregisterAreObservedWithTheirOutcome() {
		Recorded recorded = ObservationConfiguration.RECORDED;
		recorded.stopped.clear();
		ConfigurableApplicationContext app = new SpringApplicationBuilder(RegistryTestApplication.class,
				ObservationConfiguration.class)
			.web(WebApplicationType.NONE)
			.properties(etcd.springProperties())
			.properties("etcd.keepalive-ttl=3s", "service.host=127.0.0.1", "service.name=observed", "service.port=8203",
					"spring.main.banner-mode=off")
			.run();
		try {
			assertThat(recorded.stopped).singleElement().satisfies((context) -> {
				assertThat(context.getName()).isEqualTo("etcd.registry.register");
				assertThat(context.getLowCardinalityKeyValue("outcome"))
					.isEqualTo(KeyValue.of("outcome", "registered"));
				assertThat(context.getHighCardinalityKeyValue("service.id"))
					.isEqualTo(KeyValue.of("service.id", "observed"));
				assertThat(context.getError()).isNull();
			});
		}
		finally {
			app.close();
		}
		assertThat(recorded.stopped).hasSize(2);
		assertThat(recorded.stopped.get(1).getName()).isEqualTo("etcd.registry.deregister");
		assertThat(recorded.stopped.get(1).getLowCardinalityKeyValue("outcome"))
			.isEqualTo(KeyValue.of("outcome", "deregistered"));
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return start(etcd, properties);
	}

	/**
	 * Start an instance whose {@code etcd} endpoint is available.
	 */
	static ConfigurableApplicationContext start(EtcdCluster etcd, String... properties) {
		String[] all = new String[properties.length + 1];
		System.arraycopy(properties, 0, all, 0, properties.length);
		all[properties.length] = "management.endpoints.web.exposure.include=etcd";
		return RegistryTestApplication.start(etcd, all);
	}

	@SuppressWarnings("unchecked")
	static List<RegistrationReport> registrations(ConfigurableApplicationContext app) {
		return (List<RegistrationReport>) app.getBean(EtcdEndpoint.class).part("registrations");
	}

	private static double counter(MeterRegistry meters, String name, String reason) {
		return meters.get(name).tag("reason", reason).functionCounter().count();
	}

	/**
	 * An observation registry with a recording handler, which is no bean: Boot would add
	 * it a second time.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ObservationConfiguration {

		static final Recorded RECORDED = new Recorded();

		@Bean
		ObservationRegistry observationRegistry() {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(RECORDED);
			return registry;
		}

	}

	/**
	 * The registry's observations, once stopped.
	 */
	static class Recorded implements ObservationHandler<Observation.Context> {

		final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		@Override
		public void onStop(Observation.Context context) {
			if (context.getName().startsWith("etcd.registry.")) {
				this.stopped.add(context);
			}
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
