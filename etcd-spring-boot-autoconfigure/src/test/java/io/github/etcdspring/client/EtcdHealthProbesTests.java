package io.github.etcdspring.client;

import java.time.Duration;

import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.WebTestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.awaitility.Awaitility.await;

/**
 * With the availability probes on, the etcd indicators are in the readiness group and not
 * in liveness: an etcd outage takes the instance out of traffic but never gets it
 * restarted. An application that chose the members of its readiness group keeps them.
 */
class EtcdHealthProbesTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember();

	@Test
	void etcdDownMakesReadinessDownAndLeavesLivenessUp() {
		try (ConfigurableApplicationContext application = WebTestApplication.start(etcd,
				"management.endpoint.health.probes.enabled=true",
				"management.endpoint.health.probes.add-additional-paths=true", "etcd.health.interval=200ms")) {
			WebTestClient client = WebTestApplication.client(application);
			client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
			client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
			etcd.kill(0);
			try {
				await().atMost(BOUND)
					.until(() -> status(client, "/actuator/health/readiness") == HttpStatus.SERVICE_UNAVAILABLE);
				await().atMost(BOUND).until(() -> status(client, "/readyz") == HttpStatus.SERVICE_UNAVAILABLE);
				client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
				client.get().uri("/livez").exchange().expectStatus().isOk();
			}
			finally {
				etcd.restart(0);
			}
			await().atMost(BOUND).until(() -> status(client, "/actuator/health/readiness") == HttpStatus.OK);
		}
	}

	@Test
	void anExplicitReadinessGroupIsLeftAsItIs() {
		try (ConfigurableApplicationContext application = WebTestApplication.start(etcd,
				"management.endpoint.health.probes.enabled=true",
				"management.endpoint.health.group.readiness.include=readinessState", "etcd.health.interval=200ms")) {
			WebTestClient client = WebTestApplication.client(application);
			etcd.kill(0);
			try {
				await().atMost(BOUND).until(() -> status(client, "/actuator/health") == HttpStatus.SERVICE_UNAVAILABLE);
				client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
			}
			finally {
				etcd.restart(0);
			}
		}
	}

	private static HttpStatus status(WebTestClient client, String path) {
		return HttpStatus.valueOf(client.get().uri(path).exchange().returnResult(String.class).getStatus().value());
	}

}
