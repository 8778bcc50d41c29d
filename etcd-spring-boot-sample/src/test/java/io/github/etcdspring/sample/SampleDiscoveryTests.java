package io.github.etcdspring.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.etcd.jetcd.Client;
import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

import static io.github.etcdspring.test.EtcdKeys.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Two sample instances on one etcd: discovery, load-balanced calls by name, status
 * changes through the actuator, and deregistration before the web server drains.
 */
class SampleDiscoveryTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember();

	@Test
	void aSecondInstanceIsFoundAndALoadBalancedCallByNameReachesBoth() {
		try (ConfigurableApplicationContext first = start("spring.application.name=pair");
				ConfigurableApplicationContext second = start("spring.application.name=pair")) {
			await().atMost(BOUND).until(() -> instances(first, "pair").size() == 2);
			assertThat(instances(first, "pair")).containsExactlyInAnyOrder(instanceId(first), instanceId(second));
			List<String> reached = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				reached.add(call(first, "pair"));
			}
			assertThat(reached).anyMatch((body) -> body.contains(instanceId(first)))
				.anyMatch((body) -> body.contains(instanceId(second)));
		}
	}

	@Test
	void aStoppedInstanceLeavesTheLoadBalancerWithoutWaitingForItsCache() {
		try (ConfigurableApplicationContext caller = start("spring.application.name=cache")) {
			ConfigurableApplicationContext leaving = start("spring.application.name=cache");
			await().atMost(BOUND).until(() -> instances(caller, "cache").size() == 2);
			for (int i = 0; i < 4; i++) {
				call(caller, "cache"); // fills Spring Cloud LoadBalancer's cache (35s
										// TTL)
			}
			leaving.close();
			await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
				for (int i = 0; i < 6; i++) {
					if (!call(caller, "cache").contains(instanceId(caller))) {
						return false;
					}
				}
				return true;
			});
		}
	}

	@Test
	void theWeightedConfigurationReadsTheRegisteredWeights() {
		String weighted = "spring.cloud.loadbalancer.configurations=weighted";
		try (ConfigurableApplicationContext light = start("spring.application.name=weights", "service.weight=1",
				weighted);
				ConfigurableApplicationContext heavy = start("spring.application.name=weights", "service.weight=4",
						weighted)) {
			await().atMost(BOUND).until(() -> instances(light, "weights").size() == 2);
			int heavyCalls = 0;
			for (int i = 0; i < 40; i++) {
				heavyCalls += call(light, "weights").contains(instanceId(heavy)) ? 1 : 0;
			}
			assertThat(heavyCalls).isGreaterThanOrEqualTo(24);
		}
	}

	@Test
	void theZonePreferenceConfigurationReadsTheRegisteredZone() {
		String zonePreference = "spring.cloud.loadbalancer.configurations=zone-preference";
		try (ConfigurableApplicationContext europe = start("spring.application.name=zones",
				"service.metadata.zone=eu-1", "spring.cloud.loadbalancer.zone=eu-1", zonePreference);
				ConfigurableApplicationContext america = start("spring.application.name=zones",
						"service.metadata.zone=us-1", zonePreference)) {
			await().atMost(BOUND).until(() -> instances(europe, "zones").size() == 2);
			for (int i = 0; i < 10; i++) {
				assertThat(call(europe, "zones")).contains(instanceId(europe));
			}
		}
	}

	@Test
	void statusChangesThroughTheServiceRegistryEndpoint() {
		try (ConfigurableApplicationContext first = start("spring.application.name=status");
				ConfigurableApplicationContext second = start("spring.application.name=status")) {
			await().atMost(BOUND).until(() -> instances(second, "status").size() == 2);
			RestClient actuator = client(first);
			actuator.post()
				.uri("/actuator/serviceregistry")
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("status", "OUT_OF_SERVICE"))
				.retrieve()
				.toBodilessEntity();
			assertThat(actuator.get().uri("/actuator/serviceregistry").retrieve().body(String.class))
				.contains("OUT_OF_SERVICE");
			await().atMost(BOUND).until(() -> instances(second, "status").equals(List.of(instanceId(second))));

			assertThatExceptionOfType(HttpClientErrorException.class)
				.isThrownBy(() -> actuator.post()
					.uri("/actuator/serviceregistry")
					.contentType(MediaType.APPLICATION_JSON)
					.body(Map.of("status", "ASLEEP"))
					.retrieve()
					.toBodilessEntity())
				.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST));
		}
	}

	@Test
	void theInstanceLeavesTheRegistryBeforeTheWebServerStopsServing() {
		ConfigurableApplicationContext app = new SpringApplicationBuilder(SampleApplication.class, ShutdownProbe.class)
			.run(arguments("spring.application.name=draining"));
		String key = "services/draining/" + instanceId(app);
		try (Client root = etcd.newClient()) {
			assertThat(get(root, key)).isNotNull();
		}
		ShutdownProbe probe = app.getBean(ShutdownProbe.class);
		probe.key = key;
		probe.port = port(app);
		app.close();
		assertThat(probe.keyAtStop).as("registered when the first lifecycle bean stopped").isNull();
		assertThat(probe.servingAtStop).as("still serving then").isTrue();
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(SampleApplication.class).run(arguments(properties));
	}

	/**
	 * Command-line arguments, which take precedence over the sample's application.yaml.
	 */
	private static String[] arguments(String... properties) {
		List<String> all = new ArrayList<>(List.of(etcd.springProperties()));
		all.addAll(List.of("etcd.embedded.enabled=false", "etcd.namespace=", "server.port=0", "service.host=127.0.0.1",
				"etcd.keepalive-ttl=3s", "spring.main.banner-mode=off"));
		all.addAll(List.of(properties));
		return all.stream().map((property) -> "--" + property).toArray(String[]::new);
	}

	private static List<String> instances(ConfigurableApplicationContext app, String service) {
		return List.of(client(app).get().uri("/services/{id}", service).retrieve().body(String[].class));
	}

	private static String call(ConfigurableApplicationContext app, String service) {
		return client(app).get().uri("/call/{id}", service).retrieve().body(String.class);
	}

	private static String instanceId(ConfigurableApplicationContext app) {
		return "127.0.0.1:" + port(app);
	}

	private static int port(ConfigurableApplicationContext app) {
		return Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
	}

	private static RestClient client(ConfigurableApplicationContext app) {
		return RestClient.create("http://127.0.0.1:" + port(app));
	}

	/**
	 * Stops first of all lifecycle beans, before the web server's graceful shutdown, and
	 * records what it saw.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ShutdownProbe implements SmartLifecycle {

		volatile String key;

		volatile int port;

		volatile String keyAtStop = "not stopped";

		volatile boolean servingAtStop;

		private volatile boolean running;

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			try (Client root = etcd.newClient()) {
				this.keyAtStop = get(root, this.key);
			}
			this.servingAtStop = RestClient.create("http://127.0.0.1:" + this.port)
				.get()
				.uri("/whoami")
				.retrieve()
				.toBodilessEntity()
				.getStatusCode()
				.is2xxSuccessful();
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return Integer.MAX_VALUE;
		}

		@Bean
		String unusedMarker() {
			return "probe";
		}

	}

}
