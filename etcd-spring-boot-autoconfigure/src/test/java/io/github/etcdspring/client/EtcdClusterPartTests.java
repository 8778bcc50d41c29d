package io.github.etcdspring.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.github.etcdspring.client.EtcdClusterPart.Cluster;
import io.github.etcdspring.client.EtcdClusterPart.ClusterMember;
import io.github.etcdspring.client.EtcdClusterPart.EndpointStatus;
import io.github.etcdspring.endpoint.EtcdEndpoint;
import io.github.etcdspring.endpoint.EtcdEndpointAutoConfiguration;
import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code cluster} part of the {@code etcd} endpoint against a real cluster: its
 * members, leader and version, and the endpoints of the client with their answers, also
 * while members are down.
 */
class EtcdClusterPartTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	private static ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdEndpointAutoConfiguration.class))
			.withPropertyValues("etcd.request-timeout=2s", "management.endpoints.web.exposure.include=etcd");
	}

	private static Cluster cluster(ApplicationContext context) {
		return (Cluster) context.getBean(EtcdEndpoint.class).part("cluster");
	}

	@Nested
	class ThreeMembers {

		@RegisterExtension
		static final EtcdCluster etcd = EtcdCluster.threeMembers();

		@Test
		void showsTheMembersLeaderVersionAndTheEndpointsOfTheClient() {
			contextRunner().withPropertyValues(etcd.springProperties()).run((context) -> {
				Cluster cluster = cluster(context);
				assertThat(cluster.reason()).isNull();
				assertThat(cluster.error()).isNull();
				assertThat(cluster.clusterId()).matches("[0-9a-f]+");
				assertThat(cluster.members()).extracting(ClusterMember::name)
					.containsExactlyInAnyOrder("member0", "member1", "member2");
				assertThat(cluster.members()).allSatisfy((member) -> {
					assertThat(member.id()).matches("[0-9a-f]+");
					assertThat(member.clientUrls()).hasSize(1);
					assertThat(member.peerUrls()).hasSize(1);
					assertThat(member.learner()).isFalse();
				});
				assertThat(cluster.members()).flatExtracting(ClusterMember::clientUrls)
					.containsExactlyInAnyOrderElementsOf(urls(etcd.endpoints()));
				assertThat(cluster.leader()).isIn("member0", "member1", "member2");
				assertThat(cluster.version()).startsWith("3.");
				assertThat(cluster.endpointsFollowMembers()).isFalse();
				assertThat(cluster.endpoints()).extracting(EndpointStatus::url)
					.containsExactlyElementsOf(urls(etcd.endpoints()));
				assertThat(cluster.endpoints()).extracting(EndpointStatus::member)
					.containsExactly("member0", "member1", "member2");
				assertThat(cluster.endpoints()).extracting(EndpointStatus::error).containsOnlyNulls();
			});
		}

		@Test
		void aKilledMemberIsListedWithTheErrorOfItsEndpoint() {
			contextRunner().withPropertyValues(etcd.springProperties()).run((context) -> {
				etcd.kill(0);
				try {
					await().atMost(BOUND).untilAsserted(() -> {
						Cluster cluster = cluster(context);
						assertThat(cluster.reason()).isNull();
						assertThat(cluster.members()).hasSize(3);
						assertThat(cluster.leader()).isIn("member1", "member2");
						EndpointStatus killed = cluster.endpoints().get(0);
						assertThat(killed.member()).isNull();
						assertThat(killed.error()).startsWith("etcd is unreachable");
						assertThat(cluster.endpoints().subList(1, 3)).extracting(EndpointStatus::member)
							.containsExactly("member1", "member2");
					});
				}
				finally {
					etcd.restart(0);
				}
			});
		}

		@Test
		void withAutoSyncTheEndpointsAreTheSyncedOnes() {
			contextRunner()
				.withPropertyValues("etcd.endpoints=" + etcd.endpoints().get(0), "etcd.auto-sync-interval=200ms")
				.run((context) -> {
					assertThat(cluster(context).endpointsFollowMembers()).isTrue();
					await().atMost(BOUND)
						.until(() -> cluster(context).endpoints().stream().map(EndpointStatus::url).toList(),
								(urls) -> urls.containsAll(urls(etcd.endpoints())));
				});
		}

	}

	@Nested
	class SingleMember {

		@RegisterExtension
		static final EtcdCluster etcd = EtcdCluster.singleMember();

		@Test
		void answersWithTheReasonWhenEtcdIsDown() {
			contextRunner().withPropertyValues(etcd.springProperties()).run((context) -> {
				etcd.kill(0);
				try {
					Cluster cluster = cluster(context);
					assertThat(cluster.reason()).isEqualTo("etcd is unreachable");
					assertThat(cluster.error()).isNotBlank();
					assertThat(cluster.members()).isNull();
					assertThat(cluster.leader()).isNull();
					assertThat(cluster.endpoints()).singleElement()
						.satisfies((endpoint) -> assertThat(endpoint.error()).startsWith("etcd is unreachable"));
				}
				finally {
					etcd.restart(0);
				}
				await().atMost(BOUND).until(() -> cluster(context).reason() == null);
			});
		}

		@Test
		void notContributedWhenTheEndpointIsNotAvailable() {
			new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdEndpointAutoConfiguration.class))
				.withPropertyValues(etcd.springProperties())
				.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EtcdClusterPart.class));
		}

	}

	private static List<String> urls(List<URI> endpoints) {
		return endpoints.stream().map(URI::toString).toList();
	}

}
