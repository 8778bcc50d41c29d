package io.github.etcdspring.client;

import java.time.Duration;

import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EtcdHealthIndicatorTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	private static ApplicationContextRunner contextRunner(EtcdCluster etcd) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdAutoConfiguration.class,
					EtcdHealthContributorAutoConfiguration.class))
			.withPropertyValues(etcd.springProperties())
			.withPropertyValues("etcd.request-timeout=2s");
	}

	@Nested
	class SingleMember {

		@RegisterExtension
		static final EtcdCluster etcd = EtcdCluster.singleMember();

		@Test
		void upWithClusterDetails() {
			contextRunner(etcd).run((context) -> {
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
			contextRunner(etcd).run((context) -> {
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
			contextRunner(etcd).run((context) -> {
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
			contextRunner(etcd).run((context) -> {
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
