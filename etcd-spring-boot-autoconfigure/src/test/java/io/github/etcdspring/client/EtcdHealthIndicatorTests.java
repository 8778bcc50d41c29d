package io.github.etcdspring.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.etcdspring.discovery.EtcdDiscoveryAutoConfiguration;
import io.github.etcdspring.format.EtcdRegistryFormatAutoConfiguration;
import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.etcdspring.client.EtcdAutoConfigurationTests.findCause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EtcdHealthIndicatorTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	private static final String MEMBER_LIST_CALLS = "grpc_server_started_total{grpc_method=\"MemberList\",grpc_service=\"etcdserverpb.Cluster\",grpc_type=\"unary\"}";

	private static final String STATUS_CALLS = "grpc_server_started_total{grpc_method=\"Status\",grpc_service=\"etcdserverpb.Maintenance\",grpc_type=\"unary\"}";

	private static ApplicationContextRunner contextRunner(EtcdCluster etcd) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdAutoConfiguration.class,
					EtcdHealthContributorAutoConfiguration.class))
			.withPropertyValues(etcd.springProperties())
			.withPropertyValues("etcd.request-timeout=2s");
	}

	/**
	 * A runner whose indicator checks the cluster on every read, to see each change at
	 * once.
	 */
	private static ApplicationContextRunner checkingEveryRead(EtcdCluster etcd) {
		return contextRunner(etcd).withPropertyValues("etcd.health.interval=1ms");
	}

	@Nested
	class SingleMember {

		@RegisterExtension
		static final EtcdCluster etcd = EtcdCluster.singleMember();

		@Test
		void upWithClusterDetails() {
			checkingEveryRead(etcd).run((context) -> {
				Health health = context.getBean(EtcdHealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("members", 1)
					.containsEntry("leader", "member0")
					.containsKey("clusterId");
				assertThat((String) health.getDetails().get("version")).startsWith("3.");
			});
		}

		@Test
		void downWhenEtcdIsKilledAndUpAgainAfterRestart() {
			checkingEveryRead(etcd).run((context) -> {
				EtcdHealthIndicator indicator = context.getBean(EtcdHealthIndicator.class);
				assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
				etcd.kill(0);
				try {
					Health down = indicator.health();
					assertThat(down.getStatus()).isEqualTo(Status.DOWN);
					assertThat(down.getDetails()).containsEntry("reason", "etcd is unreachable")
						.containsKeys("error", "endpoints");
				}
				finally {
					etcd.restart(0);
				}
				await().atMost(BOUND).until(() -> indicator.health().getStatus().equals(Status.UP));
			});
		}

		@Test
		void downWhileEtcdIsPaused() {
			checkingEveryRead(etcd).run((context) -> {
				EtcdHealthIndicator indicator = context.getBean(EtcdHealthIndicator.class);
				etcd.pause(0);
				try {
					assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
				}
				finally {
					etcd.resume(0);
				}
				await().atMost(BOUND).until(() -> indicator.health().getStatus().equals(Status.UP));
			});
		}

		@Test
		void manyReadsWithinTheIntervalAskEtcdOnce() {
			contextRunner(etcd).withPropertyValues("etcd.health.interval=1h").run((context) -> {
				EtcdHealthIndicator indicator = context.getBean(EtcdHealthIndicator.class);
				long memberLists = etcd.metric(0, MEMBER_LIST_CALLS);
				long statuses = etcd.metric(0, STATUS_CALLS);
				ExecutorService pollers = Executors.newFixedThreadPool(4);
				try {
					List<Future<Status>> reads = IntStream.range(0, 200)
						.mapToObj((read) -> pollers.submit(() -> indicator.health().getStatus()))
						.toList();
					for (Future<Status> read : reads) {
						assertThat(read.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isEqualTo(Status.UP);
					}
				}
				finally {
					pollers.shutdownNow();
				}
				assertThat(etcd.metric(0, MEMBER_LIST_CALLS) - memberLists).isEqualTo(1);
				assertThat(etcd.metric(0, STATUS_CALLS) - statuses).isEqualTo(1);
				assertThat(indicator.health().getDetails()).containsKey("checkedAt");
			});
		}

		@Test
		void anOutageIsSeenOnceTheIntervalIsOver() {
			contextRunner(etcd).withPropertyValues("etcd.health.interval=500ms").run((context) -> {
				EtcdHealthIndicator indicator = context.getBean(EtcdHealthIndicator.class);
				assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
				etcd.kill(0);
				try {
					await().atMost(BOUND).until(() -> indicator.health().getStatus().equals(Status.DOWN));
				}
				finally {
					etcd.restart(0);
				}
				await().atMost(BOUND).until(() -> indicator.health().getStatus().equals(Status.UP));
			});
		}

		@Test
		void aBrokenWatchTurnsItDownBetweenChecksAndItsResumptionUpAgainWithoutACall() {
			contextRunner(etcd)
				.withConfiguration(AutoConfigurations.of(EtcdRegistryFormatAutoConfiguration.class,
						EtcdDiscoveryAutoConfiguration.class))
				.withPropertyValues("etcd.health.interval=1h", "etcd.retry.delay=100ms", "etcd.retry.max-delay=500ms")
				.run((context) -> {
					EtcdHealthIndicator indicator = context.getBean(EtcdHealthIndicator.class);
					Health checked = indicator.health();
					assertThat(checked.getStatus()).isEqualTo(Status.UP);
					etcd.kill(0);
					try {
						// no check is due for an hour: only the registry's watch can tell
						await().atMost(BOUND).until(() -> indicator.health().getStatus().equals(Status.DOWN));
						assertThat(indicator.health().getDetails()).containsEntry("reason", "etcd is unreachable")
							.hasEntrySatisfying("error", (error) -> assertThat(error.toString())
								.startsWith("the watch of the etcd service registry has been broken since"));
					}
					finally {
						etcd.restart(0);
					}
					await().atMost(BOUND).until(() -> indicator.health().getStatus().equals(Status.UP));
					assertThat(indicator.health().getDetails()).containsEntry("checkedAt",
							checked.getDetails().get("checkedAt"));
				});
		}

		@Test
		void intervalMustBePositive() {
			contextRunner(etcd).withPropertyValues("etcd.health.interval=0s").run((context) -> {
				InvalidConfigurationPropertyValueException failure = findCause(context.getStartupFailure(),
						InvalidConfigurationPropertyValueException.class);
				assertThat(failure.getName()).isEqualTo("etcd.health.interval");
			});
		}

		@Test
		void canBeDisabled() {
			contextRunner(etcd).withPropertyValues("management.health.etcd.enabled=false")
				.run((context) -> assertThat(context).doesNotHaveBean(EtcdHealthIndicator.class));
		}

	}

	@Nested
	class ThreeMembers {

		@RegisterExtension
		static final EtcdCluster etcd = EtcdCluster.threeMembers();

		@Test
		void staysUpWhenOneMemberDiesAndReportsNoLeaderWithoutQuorum() {
			checkingEveryRead(etcd).run((context) -> {
				EtcdHealthIndicator indicator = context.getBean(EtcdHealthIndicator.class);
				assertThat(indicator.health().getDetails()).containsEntry("members", 3);
				etcd.kill(0);
				try {
					await().atMost(BOUND).until(() -> indicator.health().getStatus().equals(Status.UP));
					etcd.kill(1);
					try {
						await().atMost(BOUND)
							.until(() -> "the etcd cluster has no leader"
								.equals(indicator.health().getDetails().get("reason"))
									|| "etcd is unreachable".equals(indicator.health().getDetails().get("reason")));
						assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
					}
					finally {
						etcd.restart(1);
					}
				}
				finally {
					etcd.restart(0);
				}
				await().atMost(BOUND).until(() -> indicator.health().getStatus().equals(Status.UP));
			});
		}

	}

}
