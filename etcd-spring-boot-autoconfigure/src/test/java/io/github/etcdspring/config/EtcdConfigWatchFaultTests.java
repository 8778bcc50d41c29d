package io.github.etcdspring.config;

import java.time.Duration;
import java.util.List;

import io.etcd.jetcd.Client;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import io.github.etcdspring.test.TcpProxy;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The watcher across faults: a cut connection, a compacted revision, an etcd killed and
 * restarted, etcd down at startup, a change before the application is ready.
 */
@ExtendWith(OutputCaptureExtension.class)
class EtcdConfigWatchFaultTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client client = etcd.client();

	@AutoClose
	private final TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0));

	@BeforeEach
	void putGreeting() {
		EtcdKeys.put(this.client, "config/application/greeting/message", "before");
	}

	@Test
	void aChangeWhileTheApplicationIsCutOffIsAppliedAfterReconnecting() {
		try (ConfigurableApplicationContext context = startThroughProxy()) {
			assertThat(greeting(context)).isEqualTo("before");
			this.proxy.cut();
			EtcdKeys.put(this.client, "config/application/greeting/message", "while cut off");
			this.proxy.restore();
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(greeting(context)).isEqualTo("while cut off"));
		}
	}

	@Test
	void aRefreshWhileEtcdIsUnreachableKeepsTheConfigurationAndLaterChangesStillArrive() {
		try (ConfigurableApplicationContext context = startThroughProxy()) {
			this.proxy.cut();
			context.getBean(ContextRefresher.class).refresh();
			assertThat(greeting(context)).isEqualTo("before");
			assertThat(context.getEnvironment().getProperty("greeting.message")).isEqualTo("before");
			this.proxy.restore();
			EtcdKeys.put(this.client, "config/application/greeting/message", "after the outage");
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(greeting(context)).isEqualTo("after the outage"));
		}
	}

	@Test
	void aRefreshWhileEtcdIsUnreachableKeepsTheConfigurationInTheBootstrapModeToo() {
		try (ConfigurableApplicationContext context = ConfigTestApplication.run(
				"--etcd.endpoints=" + this.proxy.endpoint(), "--spring.cloud.bootstrap.enabled=true",
				"--etcd.fail-fast=false", "--etcd.config.fail-fast=false")) {
			assertThat(greeting(context)).isEqualTo("before");
			this.proxy.cut();
			context.getBean(ContextRefresher.class).refresh();
			assertThat(greeting(context)).isEqualTo("before");
			this.proxy.restore();
			EtcdKeys.put(this.client, "config/application/greeting/message", "after the outage");
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(greeting(context)).isEqualTo("after the outage"));
		}
	}

	@Test
	void aWatchFromACompactedRevisionReadsTheContextsAgain(CapturedOutput output) {
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd,
				"--test.compact-before-watch=after compaction")) {
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(greeting(context)).isEqualTo("after compaction"));
			assertThat(output.getOut()).contains("of the etcd configuration was compacted; reading");
		}
	}

	@Test
	void aRefreshAfterAStartupWithoutEtcdNeverClosesTheConfigurationClient(CapturedOutput output) {
		EtcdKeys.put(this.client, "config/application/data", "greeting:\n  message: [broken\n");
		this.proxy.cut();
		try (ConfigurableApplicationContext context = ConfigTestApplication.run(
				"--etcd.endpoints=" + this.proxy.endpoint(), "--etcd.fail-fast=false", "--etcd.config.fail-fast=false",
				"--etcd.config.format=YAML", "--etcd.retry.delay=50ms", "--etcd.retry.max-delay=100ms")) {
			assertThat(greeting(context)).isEqualTo("none");
			this.proxy.restore();
			// any refresh, until one has read the malformed document: it keeps the
			// configuration in force
			await().atMost(TIMEOUT).untilAsserted(() -> {
				context.getBean(ContextRefresher.class).refresh();
				assertThat(output.getOut()
					.lines()
					.filter((line) -> line.contains("EtcdConfigDataLoader"))
					.filter((line) -> line.contains("config/application/data"))).isNotEmpty();
			});
			assertThat(greeting(context)).isEqualTo("none");
			EtcdKeys.put(this.client, "config/application/data", "greeting:\n  message: fixed\n");
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(greeting(context)).isEqualTo("fixed"));
			List<EtcdConfigChange> events = context.getBean(ConfigTestApplication.ConfigChanges.class).changes;
			int applied = events.size();
			// a refresh that did not apply would be published again at every retry, here
			// every 100 ms
			await().during(Duration.ofSeconds(1))
				.atMost(Duration.ofSeconds(3))
				.untilAsserted(() -> assertThat(events).hasSize(applied));
		}
	}

	@Test
	void aChangeAfterEtcdWasKilledAndRestartedIsApplied() {
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd)) {
			etcd.kill(0);
			etcd.restart(0);
			EtcdKeys.put(this.client, "config/application/greeting/message", "after restart");
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(greeting(context)).isEqualTo("after restart"));
		}
	}

	@Test
	void anOptionalImportPicksUpTheConfigurationOnceEtcdAnswers() {
		this.proxy.cut();
		try (ConfigurableApplicationContext context = ConfigTestApplication.run(
				"--etcd.endpoints=" + this.proxy.endpoint(), "--etcd.fail-fast=false",
				"--spring.config.import=optional:etcd:")) {
			assertThat(greeting(context)).isEqualTo("none");
			this.proxy.restore();
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(greeting(context)).isEqualTo("before"));
		}
	}

	@Test
	void aChangeBeforeTheApplicationIsReadyIsAppliedOnceItIs() {
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd,
				"--test.write-before-ready=during startup")) {
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(greeting(context)).isEqualTo("during startup"));
		}
	}

	private ConfigurableApplicationContext startThroughProxy() {
		return ConfigTestApplication.run("--etcd.endpoints=" + this.proxy.endpoint());
	}

	private static String greeting(ConfigurableApplicationContext context) {
		return context.getBean(ConfigTestApplication.Greeting.class).message();
	}

}
