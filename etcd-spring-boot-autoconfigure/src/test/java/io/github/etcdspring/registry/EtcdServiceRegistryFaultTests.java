package io.github.etcdspring.registry;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.etcd.jetcd.options.LeaseOption;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import io.github.etcdspring.test.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.etcdspring.test.EtcdKeys.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults of etcd and of the network, with a lease TTL of 3 seconds.
 */
@ExtendWith(OutputCaptureExtension.class)
class EtcdServiceRegistryFaultTests {

	private static final Duration TTL = Duration.ofSeconds(3);

	private static final Duration BOUND = Duration.ofSeconds(60);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	/**
	 * etcd restarted with its data still has the keys and their leases, each given a full
	 * TTL again, so finding the keys proves nothing. Without keep-alives a lease's
	 * remaining TTL only goes down until the lease expires with its keys; seeing it go up
	 * again is what proves that the keep-alive of the same lease recovered. The TTL is 6
	 * seconds here, so that a slow restart does not exhaust it before the keep-alive
	 * stream is back.
	 */
	@Test
	void afterEtcdIsKilledAndRestartedWithItsDataTheSameLeasesAreKeptAlive() {
		try (ConfigurableApplicationContext first = RegistryTestApplication.start(etcd, "service.name=crash",
				"service.port=8101", "service.grpc.port=9101", "etcd.keepalive-ttl=6s");
				ConfigurableApplicationContext second = RegistryTestApplication.start(etcd, "service.name=crash",
						"service.port=8102", "etcd.keepalive-ttl=6s")) {
			long firstLease = first.getBean(EtcdServiceRegistry.class).getLeaseId();
			long secondLease = second.getBean(EtcdServiceRegistry.class).getLeaseId();
			etcd.kill(0);
			etcd.restart(0);
			etcd.reconnect();
			awaitRefreshed(firstLease);
			awaitRefreshed(secondLease);
			assertThat(leaseOf("services/crash/127.0.0.1:8101")).isEqualTo(firstLease);
			assertThat(leaseOf("services/crash-grpc/127.0.0.1:9101")).isEqualTo(firstLease);
			assertThat(leaseOf("services/crash/127.0.0.1:8102")).isEqualTo(secondLease);
			for (ConfigurableApplicationContext app : List.of(first, second)) {
				assertThat(app.getBean(RegistryTestApplication.RegistrationEvents.class).lost).isEmpty();
				assertThat(app.getBean(EtcdServiceRegistry.class).getLeaseId()).isNotZero();
			}
			DiscoveryClient discovery = first.getBean(DiscoveryClient.class);
			await().atMost(BOUND).until(() -> discovery.getInstances("crash").size() == 2);
		}
	}

	@Test
	void everyInstanceIsBackWithinTwoTtlsAfterEtcdIsRestartedWithoutItsData() {
		try (ConfigurableApplicationContext first = RegistryTestApplication.start(etcd, "service.name=wiped",
				"service.port=8111");
				ConfigurableApplicationContext second = RegistryTestApplication.start(etcd, "service.name=wiped",
						"service.port=8112")) {
			etcd.restartWithoutData();
			etcd.reconnect();
			await().atMost(TTL.multipliedBy(2))
				.until(() -> registered("services/wiped/127.0.0.1:8111", "services/wiped/127.0.0.1:8112"));
			RegistryTestApplication.RegistrationEvents events = first
				.getBean(RegistryTestApplication.RegistrationEvents.class);
			await().atMost(BOUND).until(() -> events.restored.size() == 1);
			assertThat(events.lost).hasSize(1);
			DiscoveryClient discovery = second.getBean(DiscoveryClient.class);
			await().atMost(BOUND).until(() -> discovery.getInstances("wiped").size() == 2);
		}
	}

	@Test
	void pausedPastTheTtlTheInstanceIsRegisteredAgain() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=paused",
				"service.port=8121")) {
			RegistryTestApplication.RegistrationEvents events = app
				.getBean(RegistryTestApplication.RegistrationEvents.class);
			etcd.pause(0);
			try {
				await().pollDelay(TTL.plusSeconds(2)).atMost(BOUND).until(() -> !events.lost.isEmpty());
			}
			finally {
				etcd.resume(0);
			}
			await().atMost(BOUND).until(() -> registered("services/paused/127.0.0.1:8121"));
			await().atMost(BOUND).until(() -> !events.restored.isEmpty());
			assertThat(app.getBean(EtcdServiceRegistry.class).getState()).isEqualTo("REGISTERED");
		}
	}

	@Test
	void partitionedPastTheTtlTheInstanceExpiresThenComesBack() {
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0));
				ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=partitioned",
						"service.port=8131", "etcd.endpoints=" + proxy.endpoint())) {
			proxy.cut();
			await().atMost(BOUND).until(() -> !registered("services/partitioned/127.0.0.1:8131"));
			await().atMost(BOUND).until(() -> health(app).equals(Status.DOWN));
			proxy.restore();
			await().atMost(BOUND).until(() -> registered("services/partitioned/127.0.0.1:8131"));
			await().atMost(BOUND).until(() -> health(app).equals(Status.UP));
		}
	}

	/**
	 * The deletion watch of the key's directory breaks, and its next revision is
	 * compacted before it resumes: it is watched again from the current revision, so a
	 * later deletion is found. The periodic check is out of the way (an hour).
	 */
	@Test
	void aDeletionWatchResumedPastACompactionStillFindsTheKeyDeleted(CapturedOutput output) {
		String key = "services/compacted/127.0.0.1:8161";
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0));
				ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=compacted",
						"service.port=8161", "etcd.endpoints=" + proxy.endpoint(), "service.retry.check-interval=1h")) {
			RegistryTestApplication.RegistrationEvents events = app
				.getBean(RegistryTestApplication.RegistrationEvents.class);
			proxy.cut();
			// etcd keeps the compaction revision itself: compact past the next one
			EtcdKeys.put(etcd.client(), "unrelated", "moves the revision on");
			EtcdKeys.put(etcd.client(), "unrelated", "and on");
			long revision = EtcdKeys.await(etcd.client().getKVClient().get(EtcdKeys.bytes(key)))
				.getHeader()
				.getRevision();
			EtcdKeys.await(etcd.client().getKVClient().compact(revision));
			proxy.restore();
			await().atMost(BOUND)
				.until(() -> output.getOut()
					.contains("of the etcd registration keys under services/compacted/ was compacted"));
			assertThat(events.lost).isEmpty();
			EtcdKeys.delete(etcd.client(), key);
			await().atMost(BOUND).until(() -> !events.lost.isEmpty());
			await().atMost(BOUND).until(() -> registered(key));
		}
	}

	@Test
	void withoutFailFastTheApplicationStartsWhileEtcdIsUnreachableAndRegistersLater() {
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0))) {
			proxy.cut();
			try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=patient",
					"service.port=8141", "etcd.endpoints=" + proxy.endpoint(), "etcd.fail-fast=false",
					"etcd.request-timeout=1s")) {
				assertThat(health(app)).isEqualTo(Status.DOWN);
				assertThat(app.getBean(EtcdServiceRegistry.class).getLastFailure()).contains("unreachable");
				proxy.restore();
				await().atMost(BOUND).until(() -> registered("services/patient/127.0.0.1:8141"));
				await().atMost(BOUND).until(() -> health(app).equals(Status.UP));
				RegistrationStatistics statistics = app.getBean(EtcdServiceRegistry.class).getStatistics();
				assertThat(statistics.reregistrations(ReregistrationReason.REGISTRATION_FAILED)).isOne();
				assertThat(statistics.reregistrations()).isOne();
				DiscoveryClient discovery = app.getBean(DiscoveryClient.class);
				// until the registry has been read once, discovery fails rather than
				// answer "no instances"
				await().atMost(BOUND).ignoreExceptions().until(() -> discovery.getInstances("patient").size() == 1);
			}
		}
	}

	@Test
	void aProcessKilledWithSigkillDisappearsWithItsLease() throws Exception {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						System.getProperty("java.class.path"), RegisteringProcess.class.getName()));
		for (String property : etcd.springProperties()) {
			command.add("--" + property);
		}
		command.addAll(List.of("--etcd.keepalive-ttl=" + TTL.toSeconds() + "s", "--service.name=doomed",
				"--service.port=8151", "--service.host=127.0.0.1"));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(File.createTempFile("registering-process", ".log"))
			.start();
		try {
			await().atMost(BOUND).until(() -> registered("services/doomed/127.0.0.1:8151"));
		}
		finally {
			process.destroyForcibly().waitFor();
		}
		await().atMost(TTL.multipliedBy(2)).until(() -> !registered("services/doomed/127.0.0.1:8151"));
	}

	private boolean registered(String... keys) {
		for (String key : keys) {
			try {
				if (get(etcd.client(), key) == null) {
					return false;
				}
			}
			catch (RuntimeException ex) {
				return false;
			}
		}
		return true;
	}

	private static Status health(ConfigurableApplicationContext app) {
		return app.getBean(EtcdServiceRegistryHealthIndicator.class).health().getStatus();
	}

	/**
	 * A write under a lease etcd no longer knows fails with gRPC's NOT_FOUND, which jetcd
	 * passes through as it is. The keep-alive (every 10 s with a 30 s TTL) has not told
	 * yet: the write itself shows the loss, and the registration is restored on a new
	 * lease at once instead of failing.
	 */
	@Test
	void anInstanceRegisteredRightAfterTheLeaseWasRevokedIsWrittenUnderANewLease() throws Exception {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=revoked",
				"service.port=8111", "etcd.keepalive-ttl=30s")) {
			EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
			long revokedLease = registry.getLeaseId();
			EtcdKeys.await(etcd.client().getLeaseClient().revoke(revokedLease));
			EtcdRegistration second = new EtcdRegistration("revoked", "127.0.0.1");
			second.setInstanceId("second");
			second.setPort(8112);
			registry.register(second);
			long newLease = registry.getLeaseId();
			assertThat(newLease).isNotEqualTo(revokedLease);
			assertThat(leaseOf("services/revoked/second")).isEqualTo(newLease);
			assertThat(leaseOf("services/revoked/127.0.0.1:8111")).isEqualTo(newLease);
		}
	}

	/**
	 * Wait until etcd reports a higher remaining TTL for a lease than it reported before:
	 * only a keep-alive raises it.
	 */
	private void awaitRefreshed(long leaseId) {
		AtomicLong lowest = new AtomicLong(Long.MAX_VALUE);
		await().atMost(BOUND).pollInterval(Duration.ofMillis(100)).until(() -> {
			long remaining;
			try {
				remaining = EtcdKeys.await(etcd.client().getLeaseClient().timeToLive(leaseId, LeaseOption.DEFAULT))
					.getTTL();
			}
			catch (RuntimeException ex) {
				return false;
			}
			assertThat(remaining).as("remaining TTL of lease %x", leaseId).isPositive();
			return remaining > lowest.getAndAccumulate(remaining, Math::min);
		});
	}

	private long leaseOf(String key) {
		return EtcdKeys.await(etcd.client().getKVClient().get(EtcdKeys.bytes(key))).getKvs().get(0).getLease();
	}

}
