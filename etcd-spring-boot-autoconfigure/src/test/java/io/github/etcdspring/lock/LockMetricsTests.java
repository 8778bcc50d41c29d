package io.github.etcdspring.lock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.coordination.EtcdCoordinationAutoConfiguration;
import io.github.etcdspring.coordination.EtcdCoordinator;
import io.github.etcdspring.coordination.HoldLostException;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The {@code etcd.lock.*} meters and the {@code etcd.lock.acquire} observation, each
 * against the event it counts on a real etcd.
 */
class LockMetricsTests {

	private static final Duration BOUND = Duration.ofSeconds(20);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final Etcdctl etcdctl = new Etcdctl(etcd);

	private final List<Observation.Context> observed = new CopyOnWriteArrayList<>();

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdCoordinationAutoConfiguration.class,
				EtcdLockAutoConfiguration.class))
		.withPropertyValues(etcd.springProperties())
		.withPropertyValues("etcd.coordination.session-ttl=2s", "etcd.retry.delay=100ms", "etcd.retry.max-delay=500ms",
				"etcd.request-timeout=2s")
		.withBean(ObservationRegistry.class, this::observations);

	@AfterEach
	void stop() throws InterruptedException {
		this.threads.shutdownNow();
		this.etcdctl.close();
	}

	@Test
	void anAcquiredLockIsTimedWaitingThenHeldAndCountedWhileHeld() {
		this.runner.run((context) -> {
			bindMeters(context);
			EtcdLock lock = locks(context).lock("invoices");
			assertThat(timer("etcd.lock.wait", "acquired").count()).isOne();
			assertThat(timer("etcd.lock.wait", "acquired").totalTime(TimeUnit.NANOSECONDS)).isPositive();
			assertThat(this.meters.get("etcd.lock.held").gauge().value()).isOne();
			assertThat(timer("etcd.lock.hold", "released").count()).isZero();
			try (EtcdLock again = locks(context).lock("invoices")) {
				// a re-entrant acquisition does not wait in etcd
				assertThat(timer("etcd.lock.wait", "acquired").count()).isOne();
			}
			lock.unlock();
			assertThat(timer("etcd.lock.hold", "released").count()).isOne();
			assertThat(this.meters.get("etcd.lock.held").gauge().value()).isZero();
			assertThat(timer("etcd.lock.wait", "timeout").count()).isZero();
			assertThat(timer("etcd.lock.wait", "failed").count()).isZero();
		});
	}

	@Test
	void aLockHeldByEtcdctlTimesOutATryAndABoundedWait() {
		this.runner.run((context) -> {
			bindMeters(context);
			holdWithEtcdctl("busy");
			assertThat(locks(context).tryLock("busy")).isNull();
			assertThat(locks(context).tryLock("busy", Duration.ofMillis(200))).isNull();
			assertThat(timer("etcd.lock.wait", "timeout").count()).isEqualTo(2);
			assertThat(timer("etcd.lock.wait", "acquired").count()).isZero();
			assertThat(this.observed)
				.extracting((observation) -> observation.getLowCardinalityKeyValue("mode").getValue() + " "
						+ observation.getLowCardinalityKeyValue("outcome").getValue())
				.containsExactly("try timeout", "bounded timeout");
		});
	}

	@Test
	void anInterruptedWaitIsAFailureObservedWithItsError() {
		this.runner.run((context) -> {
			bindMeters(context);
			holdWithEtcdctl("busy");
			Future<?> waiter = this.threads.submit(() -> locks(context).lock("busy"));
			// waiting in etcd behind etcdctl's key
			await().atMost(BOUND).until(() -> keyCount("locks/busy/") == 2);
			waiter.cancel(true);
			await().atMost(BOUND).until(() -> timer("etcd.lock.wait", "failed").count() == 1);
			assertThat(this.observed).singleElement().satisfies((observation) -> {
				assertThat(observation.getName()).isEqualTo("etcd.lock.acquire");
				assertThat(observation.getLowCardinalityKeyValue("mode").getValue()).isEqualTo("unbounded");
				assertThat(observation.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("failed");
				assertThat(observation.getError()).isInstanceOf(InterruptedException.class);
			});
		});
	}

	@Test
	void aLockLostWithItsSessionIsTimedAsLostWhenUnlocked() {
		this.runner.run((context) -> {
			bindMeters(context);
			EtcdLock lock = locks(context).lock("invoices");
			long leaseId = context.getBean(EtcdCoordinator.class).session().lease().id();
			EtcdKeys.await(etcd.client().getLeaseClient().revoke(leaseId));
			await().atMost(BOUND).until(() -> !lock.isHeld());
			assertThat(this.meters.get("etcd.lock.held").gauge().value()).isZero();
			assertThatExceptionOfType(HoldLostException.class).isThrownBy(lock::unlock);
			assertThat(timer("etcd.lock.hold", "lost").count()).isOne();
			assertThat(timer("etcd.lock.hold", "released").count()).isZero();
			assertThat(this.meters.get("etcd.lock.held").gauge().value()).isZero();
		});
	}

	@Test
	void eachAcquisitionInEtcdIsObservedWithItsOutcome() {
		this.runner.run((context) -> {
			try (EtcdLock lock = locks(context).lock("invoices")) {
				assertThat(this.observed).singleElement().satisfies((observation) -> {
					assertThat(observation.getName()).isEqualTo("etcd.lock.acquire");
					assertThat(observation.getContextualName()).isEqualTo("etcd lock acquire");
					assertThat(observation.getLowCardinalityKeyValues()).extracting((keyValue) -> keyValue.getKey())
						.containsExactlyInAnyOrder("mode", "outcome");
					assertThat(observation.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("acquired");
					assertThat(observation.getError()).isNull();
				});
			}
		});
	}

	private ObservationRegistry observations() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				// not the observations of every gRPC call to etcd
				return "etcd.lock.acquire".equals(context.getName());
			}

			@Override
			public void onStop(Observation.Context context) {
				LockMetricsTests.this.observed.add(context);
			}

		});
		return registry;
	}

	private void holdWithEtcdctl(String name) {
		Process holder = this.etcdctl.lock("locks/" + name);
		await().atMost(BOUND).until(() -> this.etcdctl.output(holder).contains("locks/" + name + "/"));
	}

	private static long keyCount(String prefix) {
		return EtcdKeys
			.await(etcd.client()
				.getKVClient()
				.get(ByteSequence.from(prefix, StandardCharsets.UTF_8),
						GetOption.builder().isPrefix(true).withCountOnly(true).build()))
			.getCount();
	}

	private void bindMeters(AssertableApplicationContext context) {
		context.getBean(LockMeterBinder.class).bindTo(this.meters);
	}

	private FunctionTimer timer(String name, String outcome) {
		return this.meters.get(name).tag("outcome", outcome).functionTimer();
	}

	private static EtcdLockRegistry locks(AssertableApplicationContext context) {
		return context.getBean(EtcdLockRegistry.class);
	}

}
