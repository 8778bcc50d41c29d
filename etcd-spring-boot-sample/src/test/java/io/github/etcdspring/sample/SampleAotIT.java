package io.github.etcdspring.sample;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.github.etcdspring.embedded.LocalEtcdServer;
import io.github.etcdspring.test.EtcdKeys;
import io.github.etcdspring.test.LoggedProcesses;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's jar, processed by Spring's AOT engine at build time
 * ({@code spring-boot:process-aot}), starts and works in AOT mode
 * ({@code -Dspring.aot.enabled=true}) on the JVM with its local etcd: it registers, its
 * health is UP, and it serves the configuration it finds in etcd. It runs twice on one
 * etcd data directory, so that the second start reads the configuration the test wrote
 * while the first ran: Spring Cloud's refresh scope does not support AOT, so the AOT
 * build turns refresh off and changes apply at the next start.
 */
class SampleAotIT {

	private static final Duration BOUND = Duration.ofSeconds(90);

	private static final String GREETING_KEY = "/etcd-sample/config/etcd-sample/greeting/message";

	@TempDir
	Path etcdData;

	@Test
	void registersIsHealthyAndServesItsConfigurationInAotMode() throws Exception {
		int etcdPort = LocalEtcdServer.freePort();
		try (LoggedProcesses processes = new LoggedProcesses();
				Client etcd = Client.builder().endpoints(URI.create("http://127.0.0.1:" + etcdPort)).build()) {
			Sample first = Sample.start(processes, this.etcdData, etcdPort);
			try {
				assertThat(first.health()).containsEntry("status", "UP");
				assertThat(first.component("etcd")).containsEntry("status", "UP");
				assertThat(first.component("etcdRegistration")).containsEntry("status", "UP");
				Map<String, Object> whoami = first.get("/whoami");
				String registration = "/etcd-sample/services/etcd-sample/" + whoami.get("instance");
				assertThat(EtcdKeys.get(etcd, registration)).contains("\"port\":" + first.port);
				await().atMost(BOUND).until(() -> EtcdKeys.get(etcd, GREETING_KEY) != null);
				EtcdKeys.put(etcd, GREETING_KEY, "Hello from the AOT test");
				assertThat(processes.output(first.process)).contains("Starting AOT-processed SampleApplication");
			}
			finally {
				first.stop();
			}
			Sample second = Sample.start(processes, this.etcdData, etcdPort);
			try {
				Map<String, Object> greeting = second.get("/actuator/env/greeting.message");
				assertThat(greeting).extractingByKey("property")
					.asInstanceOf(InstanceOfAssertFactories.MAP)
					.containsEntry("value", "Hello from the AOT test");
			}
			finally {
				second.stop();
			}
		}
	}

	/**
	 * One run of the sample's jar in AOT mode.
	 */
	private record Sample(Process process, int port) {

		static Sample start(LoggedProcesses processes, Path etcdData, int etcdPort) {
			int port = LocalEtcdServer.freePort();
			Path java = Path.of(System.getProperty("java.home"), "bin", "java");
			Process process = processes.start(new ProcessBuilder(java.toString(), "-Dspring.aot.enabled=true", "-jar",
					System.getProperty("sample.jar"), "--server.port=" + port, "--server.address=127.0.0.1",
					"--etcd.embedded.client-port=" + etcdPort, "--etcd.embedded.data-directory=" + etcdData,
					"--management.endpoint.env.show-values=always", "--spring.main.banner-mode=off"));
			Sample sample = new Sample(process, port);
			await().atMost(BOUND).ignoreExceptions().until(() -> {
				assertThat(process.isAlive()).as(() -> processes.output(process)).isTrue();
				return "UP".equals(sample.health().get("status"));
			});
			return sample;
		}

		Map<String, Object> health() {
			return get("/actuator/health");
		}

		@SuppressWarnings("unchecked")
		Map<String, Object> component(String name) {
			return (Map<String, Object>) ((Map<String, Object>) health().get("components")).get(name);
		}

		Map<String, Object> get(String path) {
			return RestClient.create("http://127.0.0.1:" + this.port)
				.get()
				.uri(path)
				.retrieve()
				.body(new ParameterizedTypeReference<>() {
				});
		}

		/**
		 * Stop the application as a container would (SIGTERM), so that it stops its local
		 * etcd.
		 */
		void stop() throws InterruptedException {
			this.process.destroy();
			assertThat(this.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		}

	}

}
