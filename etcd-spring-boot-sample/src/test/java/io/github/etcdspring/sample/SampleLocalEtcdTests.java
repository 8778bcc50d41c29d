package io.github.etcdspring.sample;

import java.time.Duration;

import io.github.etcdspring.test.context.LocalEtcd;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How an application's own tests run with the starter, on a machine without etcd running:
 * {@link LocalEtcd} starts an etcd for the test context, whatever the application's
 * {@code application.yaml} says (here a fixed port, 2389, that a running sample may
 * hold), and the application registers, discovers, calls by service name and reads its
 * configuration against it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@LocalEtcd
class SampleLocalEtcdTests {

	@LocalServerPort
	private int port;

	@Autowired
	private DiscoveryClient discoveryClient;

	@Test
	void theApplicationRegistersDiscoversAndCallsItselfThroughTheLocalEtcd() {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.discoveryClient.getInstances("etcd-sample")
				.stream()
				.anyMatch((instance) -> instance.getPort() == this.port));
		RestClient client = RestClient.create("http://localhost:" + this.port);
		assertThat(client.get().uri("/call/etcd-sample").retrieve().body(String.class))
			.isEqualTo(client.get().uri("/whoami").retrieve().body(String.class));
		assertThat(client.get().uri("/greeting").retrieve().body(String.class)).contains("Hello from etcd");
	}

}
