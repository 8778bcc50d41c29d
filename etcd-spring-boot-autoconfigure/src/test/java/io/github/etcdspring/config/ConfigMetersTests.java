package io.github.etcdspring.config;

import java.time.Duration;

import io.etcd.jetcd.Client;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code etcd.config.*} meters, each against the event it counts, in an application
 * with Spring Boot's metrics whose configuration changes in a real etcd.
 */
class ConfigMetersTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client client = etcd.client();

	@Test
	void aRefreshIsCountedWithItsOutcomeAndModeAndTimed() {
		EtcdKeys.put(this.client, "config/application/greeting/message", "hello");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd)) {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(refreshes(registry, "refreshed", "in-place").count()).isZero();
			EtcdKeys.put(this.client, "config/application/greeting/message", "hello again");
			await().atMost(TIMEOUT).until(() -> refreshes(registry, "refreshed", "in-place").count() == 1);
			Timer duration = registry.get("etcd.config.refresh")
				.tag("outcome", "refreshed")
				.tag("mode", "in-place")
				.timer();
			assertThat(duration.count()).isOne();
			assertThat(refreshes(registry, "unchanged", "in-place").count()).isZero();
			assertThat(registry.get("etcd.config.rejected").functionCounter().count()).isZero();
			// the same value again: a check, but no refresh
			EtcdKeys.put(this.client, "config/application/greeting/message", "hello again");
			await().atMost(TIMEOUT).until(() -> refreshes(registry, "unchanged", "in-place").count() == 1);
			assertThat(duration.count()).isOne();
		}
	}

	@Test
	void aFullRefreshIsCountedWithItsMode() {
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd,
				"--etcd.config.watch.refresh-mode=full")) {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			EtcdKeys.put(this.client, "config/application/greeting/message", "hello");
			await().atMost(TIMEOUT).until(() -> refreshes(registry, "refreshed", "full").count() == 1);
			assertThat(registry.get("etcd.config.refresh").tag("mode", "full").timer().count()).isOne();
		}
	}

	@Test
	void aRejectedDocumentIsCountedAndRefreshesNothing() {
		EtcdKeys.put(this.client, "config/application/data", "greeting:\n  message: hello\n");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, "--etcd.config.format=YAML")) {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			EtcdKeys.put(this.client, "config/application/data", "greeting:\n  message: [broken\n");
			await().atMost(TIMEOUT).until(() -> registry.get("etcd.config.rejected").functionCounter().count() == 1);
			assertThat(refreshes(registry, "rejected", "in-place").count()).isOne();
			assertThat(refreshes(registry, "refreshed", "in-place").count()).isZero();
			assertThat(registry.find("etcd.config.refresh").timer()).isNull();
		}
	}

	@Test
	void theEventsOfTheConfigurationWatchAreCountedUnderItsName() {
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd)) {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			FunctionCounter events = registry.get("etcd.watch.events").tag("watch", "config").functionCounter();
			double before = events.count();
			EtcdKeys.put(this.client, "config/application/greeting/message", "counted");
			EtcdKeys.put(this.client, "config/application/greeting/other", "counted too");
			await().atMost(TIMEOUT).until(() -> events.count() == before + 2);
			assertThat(registry.get("etcd.watch.resets").tag("watch", "config").functionCounters())
				.allSatisfy((resets) -> assertThat(resets.count()).isZero());
		}
	}

	private static FunctionCounter refreshes(MeterRegistry registry, String outcome, String mode) {
		return registry.get("etcd.config.refreshes").tag("outcome", outcome).tag("mode", mode).functionCounter();
	}

}
