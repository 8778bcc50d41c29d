package io.github.etcdspring.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.etcd.jetcd.Client;
import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.client.EtcdConnectionDetails;
import io.github.etcdspring.client.EtcdHealthContributorAutoConfiguration;
import io.github.etcdspring.client.EtcdHealthIndicator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static io.github.etcdspring.test.EtcdKeys.get;
import static io.github.etcdspring.test.EtcdKeys.put;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class EmbeddedEtcdAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EmbeddedEtcdAutoConfiguration.class,
				EtcdAutoConfiguration.class, EtcdHealthContributorAutoConfiguration.class))
		.withPropertyValues("etcd.endpoints=http://127.0.0.1:1");

	@Test
	void startsALocalEtcdAndConnectsTheClientToIt() {
		AtomicReference<Path> dataDirectory = new AtomicReference<>();
		AtomicReference<EmbeddedEtcd> server = new AtomicReference<>();
		this.contextRunner.withPropertyValues("etcd.embedded.enabled=true").run((context) -> {
			EmbeddedEtcd embeddedEtcd = context.getBean(EmbeddedEtcd.class);
			server.set(embeddedEtcd);
			assertThat(context.getBean(EtcdConnectionDetails.class).getEndpoints())
				.containsExactly(embeddedEtcd.getClientUrl());
			Client client = context.getBean(Client.class);
			put(client, "/embedded/key", "value");
			assertThat(get(client, "/embedded/key")).isEqualTo("value");
			assertThat(context.getBean(EtcdHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
			dataDirectory.set(embeddedEtcd.getDataDirectory());
			assertThat(dataDirectory.get()).isDirectory();
		});
		assertThat(server.get().isRunning()).isFalse();
		assertThat(dataDirectory.get()).doesNotExist();
	}

	@Test
	void configuredDataDirectoryAndPortAreUsedAndDataIsKept(@TempDir Path directory) {
		int port = LocalEtcdServer.freePort();
		this.contextRunner
			.withPropertyValues("etcd.embedded.enabled=true", "etcd.embedded.client-port=" + port,
					"etcd.embedded.data-directory=" + directory)
			.run((context) -> {
				assertThat(context.getBean(EmbeddedEtcd.class).getClientUrl()).hasPort(port);
				put(context.getBean(Client.class), "kept", "across restarts");
			});
		assertThat(directory.resolve("local.etcd")).isDirectory();
		this.contextRunner.withPropertyValues("etcd.embedded.enabled=true", "etcd.embedded.data-directory=" + directory)
			.run((context) -> assertThat(get(context.getBean(Client.class), "kept")).isEqualTo("across restarts"));
	}

	@Test
	void disabledByDefault() {
		this.contextRunner.withPropertyValues("etcd.fail-fast=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EmbeddedEtcd.class));
	}

	@Test
	void missingBinarySaysHowToInstallEtcd() {
		this.contextRunner.withPropertyValues("etcd.embedded.enabled=true", "etcd.embedded.binary=/no/such/etcd")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(EtcdBinaryNotFoundException.class)
					.hasMessageContaining("/no/such/etcd")
					.hasMessageContaining("apt-get install etcd-server");
				FailureAnalysis analysis = new EtcdBinaryNotFoundFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("etcd.embedded.binary=/no/such/etcd");
				assertThat(analysis.getAction()).contains("apt-get install etcd-server")
					.contains("etcd.embedded.enabled=false");
			});
	}

	@Test
	void binaryIsLookedUpOnThePath() {
		assertThat(LocalEtcdServer.findBinary(null)).isExecutable().hasFileName("etcd");
	}

	@Test
	void invalidClientPortIsNamed() {
		this.contextRunner.withPropertyValues("etcd.embedded.enabled=true", "etcd.embedded.client-port=70000")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("etcd.embedded.client-port"));
	}

	@Test
	void theTemporaryDataDirectoryIsRemovedWhenEtcdFailsToStart() {
		this.contextRunner.withPropertyValues("etcd.embedded.enabled=true", "etcd.embedded.startup-timeout=1ms")
			.run((context) -> {
				assertThat(context).hasFailed();
				String message = context.getStartupFailure().getMessage();
				Matcher logFile = Pattern.compile("Last lines of (\\S+local\\.log)").matcher(message);
				assertThat(logFile.find()).as(message).isTrue();
				Path workDirectory = Path.of(logFile.group(1)).getParent();
				assertThat(workDirectory.getFileName().toString()).startsWith("etcd-embedded-");
				assertThat(workDirectory).doesNotExist();
			});
	}

	@Test
	void theTemporaryDataDirectoryIsRemovedWhenTheApplicationFailsAfterEtcdStarted(CapturedOutput output) {
		this.contextRunner.withPropertyValues("etcd.embedded.enabled=true")
			.withUserConfiguration(FailingAfterEtcdStartedConfiguration.class)
			.run((context) -> assertThat(context).hasFailed());
		Matcher dataDirectory = Pattern.compile("data in (\\S+local\\.etcd), deleted on shutdown").matcher(output);
		assertThat(dataDirectory.find()).as(output.toString()).isTrue();
		assertThat(Path.of(dataDirectory.group(1)).getParent()).doesNotExist();
	}

	@Test
	void aConfiguredClientPortThatIsTakenIsReportedNamingTheProperty() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			this.contextRunner
				.withPropertyValues("etcd.embedded.enabled=true", "etcd.embedded.client-port=" + taken.getLocalPort())
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause()
						.hasMessageContaining("etcd.embedded.client-port")
						.hasMessageContaining(Integer.toString(taken.getLocalPort()))
						.hasMessageContaining("already in use");
				});
		}
	}

	/**
	 * A free port, chosen by the starter, that another process takes before etcd binds
	 * it: the port supplier hands out a taken port first, as that race would.
	 */
	@Test
	void aChosenPortTakenBeforeEtcdBindsItIsReplacedByAnother() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			AtomicInteger calls = new AtomicInteger();
			EmbeddedEtcdProperties properties = new EmbeddedEtcdProperties();
			EmbeddedEtcd embeddedEtcd = new EmbeddedEtcd(properties,
					() -> (calls.getAndIncrement() == 0) ? taken.getLocalPort() : LocalEtcdServer.freePort());
			try {
				assertThat(embeddedEtcd.isRunning()).isTrue();
				assertThat(embeddedEtcd.getClientUrl().getPort()).isNotEqualTo(taken.getLocalPort());
				try (Client client = Client.builder().endpoints(embeddedEtcd.getClientUrl()).build()) {
					put(client, "/embedded/retried", "yes");
					assertThat(get(client, "/embedded/retried")).isEqualTo("yes");
				}
			}
			finally {
				embeddedEtcd.destroy();
			}
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class FailingAfterEtcdStartedConfiguration {

		@Bean
		String failingAfterEtcdStarted(Client client) {
			throw new IllegalStateException("A bean created after the local etcd started fails");
		}

	}

}
