package io.github.etcdspring.sample;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "etcd.embedded.client-port=0")
class SampleApplicationTests {

	@LocalServerPort
	private int port;

	@Test
	void healthShowsEtcdUp() {
		Map<String, Object> health = restClient().get()
			.uri("/actuator/health")
			.retrieve()
			.body(new ParameterizedTypeReference<>() {
			});
		assertThat(health).containsEntry("status", "UP");
		assertThat(health).extractingByKey("components")
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.extractingByKey("etcd")
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsEntry("status", "UP")
			.extractingByKey("details")
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsKeys("clusterId", "leader", "version", "members");
	}

	@Test
	void keysAreWrittenAndReadThroughTheSharedClient() {
		restClient().put()
			.uri("/kv/greeting")
			.contentType(MediaType.TEXT_PLAIN)
			.body("hello")
			.retrieve()
			.toBodilessEntity();
		assertThat(restClient().get().uri("/kv/greeting").retrieve().body(String.class)).isEqualTo("hello");
	}

	private RestClient restClient() {
		return RestClient.create("http://localhost:" + this.port);
	}

}
