package io.github.etcdspring.client;

import java.net.URI;
import java.time.Duration;

import io.etcd.jetcd.Client;
import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.etcdspring.client.EtcdAutoConfigurationTests.findCause;
import static io.github.etcdspring.test.EtcdKeys.get;
import static io.github.etcdspring.test.EtcdKeys.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code etcd.auto-sync-interval}: the client follows the cluster's members, so that a
 * cluster whose members are replaced stays usable after the endpoints the application was
 * configured with are all gone.
 */
class EtcdEndpointAutoSyncTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.threeMembers();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdHealthContributorAutoConfiguration.class))
		.withPropertyValues("etcd.request-timeout=2s");

	@Test
	void clientFollowsTheMembersAfterItsOnlyEndpointLeavesTheCluster() {
		URI original = etcd.endpoints().get(0);
		this.contextRunner.withPropertyValues("etcd.endpoints=" + original, "etcd.auto-sync-interval=200ms")
			.run((context) -> {
				Client client = context.getBean(Client.class);
				EtcdClusterEndpoints endpoints = context.getBean(EtcdClusterEndpoints.class);
				await().atMost(BOUND).until(() -> endpoints.current().containsAll(etcd.endpoints()));
				put(client, "/auto-sync/three-members", "ok");

				int added = etcd.addMember();
				URI addedEndpoint = etcd.member(added).clientUrl();
				await().atMost(BOUND).until(() -> endpoints.current().contains(addedEndpoint));

				etcd.removeMember(0);
				await().atMost(BOUND).until(() -> !endpoints.current().contains(original));
				await().atMost(BOUND).ignoreExceptions().untilAsserted(() -> {
					put(client, "/auto-sync/after-replacement", "ok");
					assertThat(get(client, "/auto-sync/three-members")).isEqualTo("ok");
				});
				assertThat(get(etcd.client(), "/auto-sync/after-replacement")).isEqualTo("ok");
				Health health = context.getBean(EtcdHealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("members", 3);
			});
	}

	@Test
	void offByDefault() {
		this.contextRunner.withPropertyValues(etcd.springProperties())
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(EtcdClusterEndpoints.class)
				.doesNotHaveBean(EtcdEndpointAutoSync.class));
	}

	@Test
	void intervalMustBePositive() {
		this.contextRunner.withPropertyValues(etcd.springProperties())
			.withPropertyValues("etcd.auto-sync-interval=0s")
			.run((context) -> {
				InvalidConfigurationPropertyValueException failure = findCause(context.getStartupFailure(),
						InvalidConfigurationPropertyValueException.class);
				assertThat(failure.getName()).isEqualTo("etcd.auto-sync-interval");
				assertThat(failure.getMessage()).contains("positive");
			});
	}

}
