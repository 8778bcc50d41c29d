package io.github.etcdspring.discovery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cloud.client.ServiceInstance;

import static io.github.etcdspring.discovery.CatalogFixture.instance;
import static io.github.etcdspring.discovery.CatalogFixture.register;
import static io.github.etcdspring.discovery.EtcdServiceCatalogTests.ids;
import static io.github.etcdspring.test.EtcdKeys.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Starting and stopping the catalog while its discovery thread is busy, from that thread,
 * or interrupted.
 */
class EtcdServiceCatalogLifecycleTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final WatchTap tap = new WatchTap();

	private final CountDownLatch release = new CountDownLatch(1);

	private final Client writer = etcd.client();

	private Client client;

	private EtcdServiceCatalog catalog;

	@AfterEach
	void close() {
		this.release.countDown();
		if (this.catalog != null) {
			this.catalog.destroy();
		}
		if (this.client != null) {
			this.client.close();
		}
	}

	@Test
	void aRetryScheduledBeforeStopStartsNoWatchAfterIt() throws Exception {
		this.catalog = catalog(etcd.newClient(), Duration.ofMillis(1), true);
		this.catalog.start();
		assertThat(this.tap.started).hasValue(1);
		CountDownLatch firstBlock = blockDiscoveryThread("first", this.release);
		// the watch fails while the thread is busy; behind that failure, the thread is
		// kept busy again
		failWatch();
		CountDownLatch secondRelease = new CountDownLatch(1);
		CountDownLatch secondBlock = new CountDownLatch(1);
		this.catalog.watch("second", (instances) -> {
			secondBlock.countDown();
			awaitQuietly(secondRelease);
		});
		this.release.countDown();
		await().atMost(BOUND).until(() -> secondBlock.getCount() == 0 && firstBlock.getCount() == 0);
		// the failure scheduled a retry, which is due now; stop before the thread gets to
		// it
		Thread stopping = new Thread(this.catalog::stop);
		stopping.start();
		await().atMost(BOUND).until(() -> !this.catalog.isRunning());
		secondRelease.countDown();
		stopping.join(BOUND.toMillis());
		CountDownLatch marker = new CountDownLatch(1);
		this.catalog.watch("marker", (instances) -> marker.countDown());
		await().atMost(BOUND).until(() -> marker.getCount() == 0);
		assertThat(this.tap.started).as("watches started, the last after stop()").hasValue(1);
		assertThat(this.tap.open).isEmpty();
	}

	@Test
	void destroyClosesTheWatchWhileTheDiscoveryThreadIsBusy() {
		this.catalog = catalog(etcd.newClient(), Duration.ofMillis(100), true);
		this.catalog.start();
		assertThat(this.tap.open).hasSize(1);
		CountDownLatch blocked = blockDiscoveryThread("busy", this.release);
		await().atMost(BOUND).until(() -> blocked.getCount() == 0);
		this.catalog.destroy();
		await().atMost(BOUND).until(this.tap.open::isEmpty);
		assertThat(this.catalog.isRunning()).isFalse();
	}

	@Test
	void aListenerOnTheDiscoveryThreadCanStopAndStartTheCatalog() {
		this.catalog = catalog(etcd.newClient(), Duration.ofMillis(100), true);
		this.catalog.start();
		AtomicInteger openWhenStopped = new AtomicInteger(-1);
		AtomicBoolean restarted = new AtomicBoolean();
		this.catalog.subscribe("restart", (event) -> {
			if (event.type() == EtcdServiceEvent.Type.ADDED) {
				this.catalog.stop();
				openWhenStopped.set(this.tap.open.size());
				this.catalog.start();
				restarted.set(this.catalog.isRunning());
			}
		});
		register(this.writer, instance("restart", "now", 1, "UP"));
		await().atMost(BOUND).untilTrue(restarted);
		assertThat(openWhenStopped).as("watches still open when stop() returned").hasValue(0);
		register(this.writer, instance("after", "restart", 2, "UP"));
		await().atMost(BOUND).until(() -> ids(this.catalog.getInstances("after")).equals(List.of("restart")));
		assertThat(this.tap.open).hasSize(1);
	}

	@Test
	void anInterruptedStartEndsWithAWatchOnceEtcdAnswers() throws Exception {
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0))) {
			proxy.cut();
			// a read that outlasts the test's interrupt by far, even on a busy machine
			this.catalog = catalog(Client.builder().endpoints(proxy.endpoint()).build(), Duration.ofSeconds(3),
					Duration.ofMillis(100), true);
			AtomicReference<Throwable> failure = new AtomicReference<>();
			Thread starting = new Thread(() -> {
				try {
					this.catalog.start();
				}
				catch (Throwable ex) {
					failure.set(ex);
				}
			});
			starting.start();
			await().atMost(BOUND).until(() -> starting.getState() == Thread.State.WAITING);
			starting.interrupt();
			starting.join(BOUND.toMillis());
			assertThat(failure.get()).isNull();
			// the read that start() gave up waiting for fails too
			await().atMost(BOUND).until(() -> this.tap.failedReads.get() > 0);
			proxy.restore();
			register(this.writer, instance("payments", "a", 1, "UP"));
			await().atMost(Duration.ofSeconds(60))
				.until(() -> this.catalog.isLoaded()
						&& ids(this.catalog.getInstances("payments")).equals(List.of("a")));
			assertThat(this.catalog.isRunning()).isTrue();
			register(this.writer, instance("payments", "b", 2, "UP"));
			await().atMost(BOUND).until(() -> ids(this.catalog.getInstances("payments")).equals(List.of("a", "b")));
		}
	}

	@Test
	void aReadBegunBeforeStartIsAppliedAtStartWithTheChangesMadeSinceAndNothingIsPublishedBefore() {
		register(this.writer, instance("payments", "a", 1, "UP"));
		this.catalog = catalog(etcd.newClient(), Duration.ofMillis(100), true);
		List<String> events = new CopyOnWriteArrayList<>();
		this.catalog.subscribe(null, (event) -> events.add(event.type() + " " + event.instance().getInstanceId()));
		this.catalog.beginFirstRead();
		await().atMost(BOUND).until(() -> this.tap.reads.get() == 1);
		register(this.writer, instance("payments", "b", 2, "UP"));
		assertThat(this.catalog.isLoaded()).isFalse();
		assertThat(events).isEmpty();
		assertThat(this.tap.started).hasValue(0);

		this.catalog.start();
		assertThat(this.catalog.isLoaded()).isTrue();
		assertThat(events).startsWith("ADDED a");
		await().atMost(BOUND).until(() -> ids(this.catalog.getInstances("payments")).equals(List.of("a", "b")));
		assertThat(events).containsExactly("ADDED a", "ADDED b");
		assertThat(this.tap.reads).as("reads of the registry").hasValue(1);
	}

	@Test
	void aReadBegunBeforeStartThatFailedIsMadeAgainAtStart() throws Exception {
		register(this.writer, instance("payments", "a", 1, "UP"));
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0))) {
			proxy.cut();
			this.catalog = catalog(Client.builder().endpoints(proxy.endpoint()).build(), Duration.ofMillis(500),
					Duration.ofMillis(100), true);
			this.catalog.beginFirstRead();
			await().atMost(BOUND).until(() -> this.tap.failedReads.get() > 0);
			proxy.restore();
			// gRPC reconnects after its own back-off: wait for it, so that start() is
			// what reads
			await().atMost(BOUND)
				.ignoreExceptions()
				.until(() -> this.client.getKVClient()
					.get(ByteSequence.from("any", StandardCharsets.UTF_8))
					.get(1, TimeUnit.SECONDS) != null);
			this.catalog.start();
			assertThat(ids(this.catalog.getInstances("payments"))).containsExactly("a");
		}
	}

	@Test
	void aReadBegunBeforeStartThatFailedFailsAFailFastStartWhenEtcdIsStillUnreachable() throws Exception {
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0))) {
			proxy.cut();
			this.catalog = catalog(Client.builder().endpoints(proxy.endpoint()).build(), Duration.ofMillis(500),
					Duration.ofMillis(100), true);
			this.catalog.beginFirstRead();
			await().atMost(BOUND).until(() -> this.tap.failedReads.get() > 0);
			assertThatIllegalStateException().isThrownBy(this.catalog::start)
				.withMessageStartingWith("Could not read the etcd service registry");
			assertThat(this.tap.failedReads).as("the read made again at start failed too").hasValueGreaterThan(1);
		}
	}

	private EtcdServiceCatalog catalog(Client real, Duration retryDelay, boolean failFast) {
		return catalog(real, Duration.ofSeconds(2), retryDelay, failFast);
	}

	private EtcdServiceCatalog catalog(Client real, Duration requestTimeout, Duration retryDelay, boolean failFast) {
		this.client = real;
		return new EtcdServiceCatalog(this.tap.wrap(real), CatalogFixture.LAYOUT, CatalogFixture.CODEC, (event) -> {
		}, false, requestTimeout, retryDelay, retryDelay.multipliedBy(4), failFast);
	}

	/**
	 * Keep the discovery thread in a listener until released.
	 * @return counted down once the thread is in the listener
	 */
	private CountDownLatch blockDiscoveryThread(String service, CountDownLatch until) {
		CountDownLatch blocked = new CountDownLatch(1);
		this.catalog.watch(service, (List<ServiceInstance> instances) -> {
			blocked.countDown();
			awaitQuietly(until);
		});
		return blocked;
	}

	/**
	 * What jetcd does when the server ends a watch with an error it does not retry by
	 * itself.
	 */
	private void failWatch() {
		this.tap.fail(EtcdExceptionFactory.newEtcdException(ErrorCode.UNKNOWN, "injected watch failure"));
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
