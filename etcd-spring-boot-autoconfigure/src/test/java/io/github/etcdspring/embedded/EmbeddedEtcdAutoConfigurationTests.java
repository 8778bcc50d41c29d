package io.github.etcdspring.embedded;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import io.etcd.jetcd.Client;
import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.client.EtcdConnectionDetails;
import io.github.etcdspring.client.EtcdHealthContributorAutoConfiguration;
import io.github.etcdspring.client.EtcdHealthIndicator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.etcdspring.test.EtcdKeys.get;
import static io.github.etcdspring.test.EtcdKeys.put;
import static org.assertj.core.api.Assertions.assertThat;

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
		this.contextRunner
			.withPropertyValues("etcd.embedded.enabled=true", "etcd.embedded.data-directory=" + directory)
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

}
