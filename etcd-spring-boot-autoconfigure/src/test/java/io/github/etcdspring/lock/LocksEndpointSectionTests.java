package io.github.etcdspring.lock;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.coordination.EtcdCoordinationAutoConfiguration;
import io.github.etcdspring.coordination.HoldLostException;
import io.github.etcdspring.coordination.SessionDescription;
import io.github.etcdspring.endpoint.EtcdEndpoint;
import io.github.etcdspring.endpoint.EtcdEndpointAutoConfiguration;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
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
 * The session and the {@code locks} section of {@code /actuator/etcd/coordination},
 * against a real etcd.
 */
class LocksEndpointSectionTests {

	private static final Duration BOUND = Duration.ofSeconds(20);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final Etcdctl etcdctl = new Etcdctl(etcd);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdCoordinationAutoConfiguration.class,
				EtcdLockAutoConfiguration.class, EtcdEndpointAutoConfiguration.class))
		.withPropertyValues(etcd.springProperties())
		.withPropertyValues("management.endpoints.web.exposure.include=etcd", "etcd.coordination.session-ttl=2s",
				"etcd.retry.delay=100ms", "etcd.retry.max-delay=500ms", "etcd.request-timeout=2s");

	@AfterEach
	void stop() throws InterruptedException {
		this.threads.shutdownNow();
		this.etcdctl.close();
	}

	@Test
	void beforeAnyLockTheSessionHasNoLeaseAndNoLockIsShown() {
		this.runner.run((context) -> {
			assertThat(session(context).leaseId()).isNull();
			assertThat(session(context).lastLoss()).isNull();
			assertThat(locks(context).held()).isEmpty();
			assertThat(locks(context).waiting()).isEmpty();
		});
	}

	@Test
	void aHeldLockIsShownWithItsKeyAndThreadUntilItIsUnlocked() {
		this.runner.run((context) -> {
			EtcdLock lock = context.getBean(EtcdLockRegistry.class).lock("invoices");
			assertThat(locks(context).held()).singleElement().satisfies((held) -> {
				assertThat(held.name()).isEqualTo("invoices");
				assertThat(held.key()).isEqualTo(lock.key());
				assertThat(held.fencingToken()).isEqualTo(lock.fencingToken());
				assertThat(held.thread()).isEqualTo(Thread.currentThread().getName());
				assertThat(held.since()).isNotBlank();
				assertThat(held.lossReason()).isNull();
			});
			SessionDescription session = session(context);
			assertThat(lock.key()).isEqualTo("locks/invoices/" + session.leaseId());
			assertThat(session.ttlSeconds()).isEqualTo(2);
			assertThat(session.remainingMillis()).isBetween(1L, 2000L);
			assertThat(session.leasesGranted()).isOne();
			lock.unlock();
			assertThat(locks(context).held()).isEmpty();
			assertThat(locks(context).waiting()).isEmpty();
		});
	}

	@Test
	void theRemainingTimeOfTheSessionLeaseIsRenewedByItsKeepAlive() {
		this.runner.run((context) -> {
			try (EtcdLock lock = context.getBean(EtcdLockRegistry.class).lock("invoices")) {
				Instant grantedAt = Instant.parse(session(context).grantedAt());
				// beyond the TTL of 2s, the lease lives on: its keep-alive answers
				// renewed it
				await().atMost(BOUND)
					.until(() -> Instant.parse(session(context).renewedAt()).isAfter(grantedAt.plusSeconds(2)));
				assertThat(session(context).remainingMillis()).isPositive();
				assertThat(session(context).leaseId()).isEqualTo(lock.key().substring("locks/invoices/".length()));
			}
		});
	}

	@Test
	void aLockWaitedForIsShownUntilItIsAcquired() {
		this.runner.run((context) -> {
			Process holder = this.etcdctl.lock("locks/reports");
			await().atMost(BOUND).until(() -> this.etcdctl.output(holder).contains("locks/reports/"));
			EtcdLockRegistry registry = context.getBean(EtcdLockRegistry.class);
			Future<String> waiter = this.threads.submit(() -> {
				try (EtcdLock lock = registry.lock("reports")) {
					return lock.key();
				}
			});
			await().atMost(BOUND).until(() -> !locks(context).waiting().isEmpty());
			assertThat(locks(context).waiting()).singleElement().satisfies((waiting) -> {
				assertThat(waiting.name()).isEqualTo("reports");
				assertThat(waiting.threads()).isOne();
			});
			assertThat(locks(context).held()).isEmpty();
			holder.destroy();
			assertThat(waiter.get()).startsWith("locks/reports/");
			assertThat(locks(context).waiting()).isEmpty();
		});
	}

	@Test
	void afterTheSessionLeaseIsRevokedTheLossIsShownOnTheSessionAndTheLock() {
		this.runner.run((context) -> {
			EtcdLock lock = context.getBean(EtcdLockRegistry.class).lock("invoices");
			String leaseId = session(context).leaseId();
			EtcdKeys.await(etcd.client().getLeaseClient().revoke(Long.parseLong(leaseId, 16)));
			await().atMost(BOUND).until(() -> session(context).lastLoss() != null);
			assertThat(session(context).leaseId()).isNull();
			assertThat(session(context).remainingMillis()).isNull();
			assertThat(session(context).lastLoss()).satisfies((loss) -> {
				assertThat(loss.leaseId()).isEqualTo(leaseId);
				assertThat(loss.reason()).isNotBlank();
			});
			await().atMost(BOUND).until(() -> locks(context).held().get(0).lossReason() != null);
			assertThat(locks(context).held().get(0).lossReason()).contains(leaseId);
			assertThatExceptionOfType(HoldLostException.class).isThrownBy(lock::unlock);
			assertThat(locks(context).held()).isEmpty();
			try (EtcdLock again = context.getBean(EtcdLockRegistry.class).lock("invoices")) {
				assertThat(session(context).leaseId()).isNotEqualTo(leaseId);
				assertThat(session(context).leasesGranted()).isEqualTo(2);
				assertThat(locks(context).held()).singleElement()
					.satisfies((held) -> assertThat(held.lossReason()).isNull());
			}
		});
	}

	@Test
	void thePartRendersAsJsonWithCamelCaseFieldsIsoTimesAndCounts() {
		this.runner.run((context) -> {
			try (EtcdLock lock = context.getBean(EtcdLockRegistry.class).lock("invoices")) {
				JsonNode json = new ObjectMapper().valueToTree(part(context));
				assertThat(json.at("/session/leaseId").asText()).isEqualTo(session(context).leaseId());
				assertThat(json.at("/session/remainingMillis").isNumber()).isTrue();
				assertThat(Instant.parse(json.at("/session/renewedAt").asText())).isNotNull();
				assertThat(json.at("/session/lastLoss").isNull()).isTrue();
				assertThat(json.at("/locks/held/0/name").asText()).isEqualTo("invoices");
				assertThat(json.at("/locks/held/0/fencingToken").asLong()).isEqualTo(lock.fencingToken());
				assertThat(Instant.parse(json.at("/locks/held/0/since").asText())).isNotNull();
				assertThat(json.at("/locks/counts/acquired").asLong()).isOne();
				assertThat(json.at("/locks/waiting").isEmpty()).isTrue();
			}
			assertThat(locks(context).counts().released()).isOne();
		});
	}

	private static Map<?, ?> part(AssertableApplicationContext context) {
		return (Map<?, ?>) context.getBean(EtcdEndpoint.class).part("coordination");
	}

	private static SessionDescription session(AssertableApplicationContext context) {
		return (SessionDescription) part(context).get("session");
	}

	private static LocksDescription locks(AssertableApplicationContext context) {
		return (LocksDescription) part(context).get("locks");
	}

}
