package io.github.etcdspring.endpoint;

import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.WebTestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The {@code etcd} endpoint over HTTP, in an application with a real web server: every
 * part at {@code /actuator/etcd}, one part at its sub-path, 404 for an unknown part, and
 * nothing until the endpoint is exposed.
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
	void notServedUntilExposed() {
		try (ConfigurableApplicationContext application = WebTestApplication.start(etcd)) {
			WebTestApplication.client(application).get().uri("/actuator/etcd").exchange().expectStatus().isNotFound();
		}
	}

}
