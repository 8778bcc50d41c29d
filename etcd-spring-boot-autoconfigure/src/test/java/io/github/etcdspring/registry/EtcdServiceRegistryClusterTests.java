package io.github.etcdspring.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.etcdspring.test.EtcdKeys.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EtcdServiceRegistryClusterTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.threeMembers();

	@Test
	void losingOneMemberOfThreeInterruptsNeitherRegistrationNorDiscovery() {
		try (Client observer = etcd.newClient();
				ConfigurableApplicationContext first = RegistryTestApplication.start(etcd, "service.name=ha",
						"service.port=8201");
				ConfigurableApplicationContext second = RegistryTestApplication.start(etcd, "service.name=ha",
						"service.port=8202")) {
			DiscoveryClient discovery = first.getBean(DiscoveryClient.class);
			await().atMost(BOUND).until(() -> discovery.getInstances("ha").size() == 2);
			List<String> deletions = new CopyOnWriteArrayList<>();
			// from an explicit revision, so that a watch that resumes after the member is
			// killed misses nothing
			long next = EtcdKeys.await(observer.getKVClient().get(bytes("services/ha/"))).getHeader().getRevision() + 1;
			try (Watch.Watcher watcher = observer.getWatchClient()
				.watch(bytes("services/ha/"),
						WatchOption.builder().isPrefix(true).withNoPut(true).withRevision(next).build(),
						(response) -> response.getEvents()
							.stream()
							.filter((event) -> event.getEventType() == WatchEvent.EventType.DELETE)
							.forEach((event) -> deletions
								.add(event.getKeyValue().getKey().toString(StandardCharsets.UTF_8))))) {
				etcd.kill(0);
				try {
					try (ConfigurableApplicationContext third = RegistryTestApplication.start(etcd, "service.name=ha",
							"service.port=8203")) {
						await().atMost(BOUND).until(() -> discovery.getInstances("ha").size() == 3);
					}
					await().atMost(BOUND).until(() -> discovery.getInstances("ha").size() == 2);
					await().atMost(BOUND).until(() -> !deletions.isEmpty());
					assertThat(deletions).as("only the third instance left the registry").hasSize(1);
					assertThat(deletions.get(0)).endsWith(":8203");
				}
				finally {
					etcd.restart(0);
				}
			}
			assertThat(first.getBean(RegistryTestApplication.RegistrationEvents.class).lost).isEmpty();
			assertThat(second.getBean(RegistryTestApplication.RegistrationEvents.class).lost).isEmpty();
		}
	}

}
