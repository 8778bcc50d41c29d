package io.github.etcdspring.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

import static io.github.etcdspring.test.EtcdKeys.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two sample instances in one election and under one lock: one leads and runs the
 * leader-only job, the other takes over when it stops; the lock's fencing tokens grow and
 * no increment of the shared counter is lost.
 */
class SampleCoordinationTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember();

	@Test
	void oneInstanceLeadsAndRunsTheJobAndTheOtherTakesOverWhenItStops() {
		try (ConfigurableApplicationContext first = start(); ConfigurableApplicationContext second = start()) {
			await().atMost(BOUND).until(() -> leads(first) || leads(second));
			ConfigurableApplicationContext leader = leads(first) ? first : second;
			ConfigurableApplicationContext follower = (leader == first) ? second : first;
			Map<String, Object> seen = leader(follower);
			assertThat(seen).containsEntry("election", "coordination").containsEntry("thisInstanceLeads", false);
			assertThat(seen.get("leader")).isEqualTo(leader(leader).get("leader"));
			await().atMost(BOUND)
				.until(() -> String.valueOf(get(etcd.client(), "jobs/leader-job/last-run"))
					.startsWith(seen.get("leader") + " in the term with fencing token " + seen.get("sinceRevision")));
			leader.close();
			await().atMost(BOUND).until(() -> leads(follower));
			Object next = leader(follower).get("leader");
			await().atMost(BOUND)
				.until(() -> String.valueOf(get(etcd.client(), "jobs/leader-job/last-run")).startsWith(next + " "));
		}
	}

	@Test
	void theLockedCounterLosesNoIncrementAndTheFencingTokensGrow() throws Exception {
		try (ConfigurableApplicationContext first = start(); ConfigurableApplicationContext second = start()) {
			List<Thread> callers = new ArrayList<>();
			List<Long> tokens = new CopyOnWriteArrayList<>();
			for (ConfigurableApplicationContext app : List.of(first, second)) {
				Thread caller = new Thread(() -> {
					for (int i = 0; i < 5; i++) {
						Map<String, Object> answer = client(app).post().uri("/locks/orders").retrieve().body(JSON);
						tokens.add(((Number) answer.get("fencingToken")).longValue());
					}
				});
				callers.add(caller);
				caller.start();
			}
			for (Thread caller : callers) {
				caller.join(BOUND.toMillis());
				assertThat(caller.isAlive()).isFalse();
			}
			assertThat(get(etcd.client(), "counters/orders")).isEqualTo("10");
			assertThat(tokens).hasSize(10).doesNotHaveDuplicates();
		}
	}

	private static boolean leads(ConfigurableApplicationContext app) {
		return Boolean.TRUE.equals(leader(app).get("thisInstanceLeads"));
	}

	private static Map<String, Object> leader(ConfigurableApplicationContext app) {
		return client(app).get().uri("/leader").retrieve().body(JSON);
	}

	private static RestClient client(ConfigurableApplicationContext app) {
		return RestClient.create("http://localhost:" + app.getEnvironment().getProperty("local.server.port"));
	}

	private static ConfigurableApplicationContext start() {
		List<String> arguments = new ArrayList<>(List.of(etcd.springProperties()));
		arguments.addAll(List.of("etcd.embedded.enabled=false", "etcd.namespace=", "server.port=0",
				"service.host=127.0.0.1", "spring.application.name=coordination", "etcd.coordination.session-ttl=2s",
				"sample.leader-job.interval=100ms", "spring.main.banner-mode=off"));
		return new SpringApplicationBuilder(SampleApplication.class)
			.run(arguments.stream().map((property) -> "--" + property).toArray(String[]::new));
	}

}
