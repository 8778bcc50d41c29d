package io.github.etcdspring.sample;

import java.time.Duration;
import java.util.Map;

import io.etcd.jetcd.Client;
import io.github.etcdspring.embedded.EmbeddedEtcd;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's configuration comes from its local etcd, started before the configuration
 * is read, and follows changes made with a plain etcd client, as {@code etcdctl put}
 * would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "etcd.embedded.client-port=0")
class SampleConfigurationTests {

	private static final Duration BOUND = Duration.ofSeconds(20);

	@LocalServerPort
	private int port;

	@Autowired
	private EmbeddedEtcd embeddedEtcd;

	@Test
	void theSeededGreetingAndLaterChangesReachTheBeansLive() {
		await().atMost(BOUND).until(() -> "Hello from etcd".equals(greeting().get("message")));
		try (Client client = Client.builder().endpoints(this.embeddedEtcd.getClientUrl()).build()) {
			EtcdKeys.put(client, "/etcd-sample/config/etcd-sample/greeting/message", "Hi from etcdctl");
			EtcdKeys.put(client, "/etcd-sample/config/application/shop/discount", "15");
			EtcdKeys.put(client, "/etcd-sample/config/etcd-sample/shop/features", "gift-wrap,express");
		}
		await().atMost(BOUND)
			.untilAsserted(() -> assertThat(greeting()).containsEntry("message", "Hi from etcdctl")
				.containsEntry("discount", 15)
				.containsEntry("features", java.util.List.of("gift-wrap", "express")));
	}

	private Map<String, Object> greeting() {
		return RestClient.create("http://localhost:" + this.port)
			.get()
			.uri("/greeting")
			.retrieve()
			.body(new ParameterizedTypeReference<>() {
			});
	}

}
