package io.github.etcdspring.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.etcd.jetcd.Client;
import io.github.etcdspring.client.EtcdHealthIndicator;
import io.github.etcdspring.leader.EtcdLeaderInitiator;
import io.github.etcdspring.lock.EtcdLock;
import io.github.etcdspring.lock.EtcdLockRegistry;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The etcd roles that docs/production.md documents are exactly what an application needs:
 * its {@code etcdctl} commands, run as they are written against an etcd with
 * authentication, give a user that registers, discovers, imports and refreshes its
 * configuration, takes a lock and leads an election, and that may not write another
 * service's registration.
 */
class ProductionRolesTests {

	private static final Path PRODUCTION = Path.of("..", "docs", "production.md");

	private static final Pattern ROLES_BLOCK = Pattern.compile("<!-- roles:[^\\n]*-->\\s*```bash\\n(.*?)```",
			Pattern.DOTALL);

	private static final String PASSWORD = "payments-secret";

	private static final Duration BOUND = Duration.ofSeconds(20);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().withAuthentication();

	@Test
	void theDocumentedRolesAreEnoughForEveryFeatureAndNoMore() throws Exception {
		runDocumentedCommands();
		Client root = etcd.client();
		EtcdKeys.put(root, "/shop/config/payments/greeting/message", "hello");
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(TestApplication.class)
			.web(WebApplicationType.NONE)
			.run("--spring.application.name=payments", "--spring.config.import=etcd:", "--etcd.namespace=/shop",
					"--etcd.endpoints=" + etcd.endpoints().get(0), "--etcd.username=payments",
					"--etcd.password=" + PASSWORD, "--service.host=127.0.0.1", "--service.port=8080",
					"--etcd.leader.enabled=true")) {
			assertThat(app.getEnvironment().getProperty("greeting.message")).isEqualTo("hello");
			assertThat(app.getBean(EtcdHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
			await().atMost(BOUND)
				.until(() -> app.getBean(DiscoveryClient.class)
					.getInstances("payments")
					.stream()
					.map(ServiceInstance::getInstanceId)
					.toList(), (ids) -> ids.equals(List.of("127.0.0.1:8080")));
			assertThat(EtcdKeys.get(root, "/shop/services/payments/127.0.0.1:8080")).contains("\"port\":8080");
			EtcdKeys.put(root, "/shop/config/payments/greeting/message", "hello again");
			await().atMost(BOUND)
				.until(() -> "hello again".equals(app.getEnvironment().getProperty("greeting.message")));
			try (EtcdLock lock = app.getBean(EtcdLockRegistry.class).lock("orders")) {
				assertThat(lock.isHeld()).isTrue();
			}
			await().atMost(BOUND).until(() -> app.getBean(EtcdLeaderInitiator.class).isLeader());
			Client payments = app.getBean(Client.class);
			assertThatException().isThrownBy(() -> EtcdKeys.put(payments, "services/orders/10.0.0.9:8080", "{}"))
				.withStackTraceContaining("permission denied");
		}
	}

	private static void runDocumentedCommands() throws IOException, InterruptedException {
		Matcher block = ROLES_BLOCK.matcher(Files.readString(PRODUCTION));
		assertThat(block.find()).as("the roles block of " + PRODUCTION).isTrue();
		ProcessBuilder bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", block.group(1))
			.redirectErrorStream(true);
		Map<String, String> environment = bash.environment();
		environment.put("ETCDCTL_API", "3");
		environment.put("ETCDCTL_ENDPOINTS", etcd.endpoints().get(0).toString());
		environment.put("ETCDCTL_USER", EtcdCluster.ROOT_USER + ":" + EtcdCluster.ROOT_PASSWORD);
		environment.put("PAYMENTS_PASSWORD", PASSWORD);
		Process process = bash.start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
