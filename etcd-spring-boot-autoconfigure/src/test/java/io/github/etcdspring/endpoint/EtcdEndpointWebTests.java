package io.github.etcdspring.endpoint;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.WebTestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code etcd} endpoint over HTTP, in an application with a real web server: every
 * part at {@code /actuator/etcd}, one part at its sub-path, 404 for an unknown part, the
 * drain action with a POST (refused when the endpoint is read-only), and nothing until
 * the endpoint is exposed.
 */
class EtcdEndpointWebTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember();

	@Test
	void showsEveryPartAtTheRootAndOnePartAtItsSubPath() {
		try (ConfigurableApplicationContext application = WebTestApplication.start(etcd,
				"management.endpoints.web.exposure.include=etcd")) {
			WebTestClient client = WebTestApplication.client(application);
			client.get()
				.uri("/actuator/etcd")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.cluster.leader")
				.isEqualTo("member0")
				.jsonPath("$.cluster.members[0].name")
				.isEqualTo("member0");
			client.get()
				.uri("/actuator/etcd/cluster")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.clusterId")
				.isNotEmpty()
				.jsonPath("$.members[0].id")
				.isNotEmpty()
				.jsonPath("$.members[0].clientUrls[0]")
				.isEqualTo(etcd.endpoints().get(0).toString())
				.jsonPath("$.version")
				.isNotEmpty()
				.jsonPath("$.endpoints[0].url")
				.isEqualTo(etcd.endpoints().get(0).toString())
				.jsonPath("$.endpoints[0].member")
				.isEqualTo("member0")
				.jsonPath("$.endpointsFollowMembers")
				.isEqualTo(false)
				.jsonPath("$.reason")
				.doesNotExist();
			client.get().uri("/actuator/etcd/no-such-part").exchange().expectStatus().isNotFound();
		}
	}

	@Test
	void drainsThisInstanceWithAPostAndRegistersItAgainWithAnother() throws Exception {
		try (ConfigurableApplicationContext application = WebTestApplication.start(etcd,
				"management.endpoints.web.exposure.include=etcd", "spring.application.name=drained-over-http",
				"spring.cloud.service-registry.auto-registration.enabled=true")) {
			WebTestClient client = WebTestApplication.client(application);
			String key = new String(client.get()
				.uri("/actuator/etcd/registrations")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$[0].state")
				.isEqualTo("REGISTERED")
				.jsonPath("$[0].keys.native")
				.value((value) -> assertThat(registered(value.toString())).isTrue())
				.returnResult()
				.getResponseBody(), StandardCharsets.UTF_8);
			assertThat(key).contains("drained-over-http");
			client.post()
				.uri("/actuator/etcd/deregister")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.changed")
				.isEqualTo(true)
				.jsonPath("$.state")
				.isEqualTo("DRAINED");
			client.get()
				.uri("/actuator/etcd/registrations")
				.exchange()
				.expectBody()
				.jsonPath("$[0].keys.native")
				.value((value) -> assertThat(registered(value.toString())).isFalse());
			client.post()
				.uri("/actuator/etcd/register")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.changed")
				.isEqualTo(true)
				.jsonPath("$.state")
				.isEqualTo("REGISTERED");
			client.get()
				.uri("/actuator/etcd/registrations")
				.exchange()
				.expectBody()
				.jsonPath("$[0].keys.native")
				.value((value) -> assertThat(registered(value.toString())).isTrue());
		}
	}

	@Test
	void refusesTheDrainWhenTheEndpointIsReadOnly() {
		try (ConfigurableApplicationContext application = WebTestApplication.start(etcd,
				"management.endpoints.web.exposure.include=etcd", "management.endpoint.etcd.access=read-only",
				"spring.application.name=read-only-drain",
				"spring.cloud.service-registry.auto-registration.enabled=true")) {
			WebTestClient client = WebTestApplication.client(application);
			client.post().uri("/actuator/etcd/deregister").exchange().expectStatus().is4xxClientError();
			client.get()
				.uri("/actuator/etcd/registrations")
				.exchange()
				.expectBody()
				.jsonPath("$[0].state")
				.isEqualTo("REGISTERED");
		}
	}

	private static boolean registered(String key) {
		try {
			return etcd.client()
				.getKVClient()
				.get(ByteSequence.from(key, StandardCharsets.UTF_8))
				.get(10, TimeUnit.SECONDS)
				.getCount() == 1;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void notServedUntilExposed() {
		try (ConfigurableApplicationContext application = WebTestApplication.start(etcd)) {
			WebTestApplication.client(application).get().uri("/actuator/etcd").exchange().expectStatus().isNotFound();
		}
	}

}
