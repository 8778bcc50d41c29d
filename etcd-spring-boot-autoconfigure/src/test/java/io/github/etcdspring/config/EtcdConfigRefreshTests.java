package io.github.etcdspring.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Changes in etcd reaching {@code @RefreshScope} and {@code @ConfigurationProperties}
 * beans.
 */
@ExtendWith(OutputCaptureExtension.class)
class EtcdConfigRefreshTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client client = etcd.client();

	@Test
	void aPutReachesRefreshScopeAndConfigurationPropertiesBeans() {
		EtcdKeys.put(this.client, "config/application/greeting/message", "hello");
		EtcdKeys.put(this.client, "config/application/sample/message", "first");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd)) {
			assertThat(greeting(context)).isEqualTo("hello");
			EtcdKeys.put(this.client, "config/application/greeting/message", "hello again");
			EtcdKeys.put(this.client, "config/application/sample/message", "second");
			await().atMost(TIMEOUT).untilAsserted(() -> {
				assertThat(greeting(context)).isEqualTo("hello again");
				assertThat(settings(context).getMessage()).isEqualTo("second");
			});
			// the change is published after the beans were refreshed
			await().atMost(TIMEOUT).until(() -> !changes(context).isEmpty());
			EtcdConfigChange change = changes(context).get(0);
			assertThat(change.changedKeys()).contains("config/application/greeting/message");
			assertThat(change.changedProperties()).contains("greeting.message");
		}
	}

	@Test
	void aDeletedKeyRemovesItsProperty() {
		EtcdKeys.put(this.client, "config/application/greeting/message", "hello");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd)) {
			assertThat(greeting(context)).isEqualTo("hello");
			EtcdKeys.delete(this.client, "config/application/greeting/message");
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(greeting(context)).isEqualTo("none"));
			assertThat(context.getEnvironment().getProperty("greeting.message")).isNull();
		}
	}

	@Test
	void aTransactionOfFiftyKeysGivesOneRefresh() {
		EtcdKeys.put(this.client, "config/application/sample/limit", "0");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd)) {
			List<Op> puts = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				puts.add(Op.put(EtcdKeys.bytes("config/application/burst/key" + i), EtcdKeys.bytes("v" + i),
						PutOption.DEFAULT));
			}
			EtcdKeys.await(this.client.getKVClient().txn().Then(puts.toArray(Op[]::new)).commit());
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(context.getEnvironment().getProperty("burst.key49")).isEqualTo("v49"));
			await().atMost(TIMEOUT).until(() -> !changes(context).isEmpty());
			assertThat(changes(context)).hasSize(1);
			EtcdConfigChange change = changes(context).get(0);
			assertThat(change.changedKeys()).hasSize(50);
		}
	}

	@Test
	void fiftyPutsWithinTheQuietPeriodGiveTheFirstPutsRefreshAndOneForAllTheRest() {
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, "--etcd.config.watch.delay=2s",
				"--etcd.config.watch.max-delay=30s")) {
			for (int i = 0; i < 50; i++) {
				EtcdKeys.put(this.client, "config/application/burst/key" + i, "v" + i);
			}
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(context.getEnvironment().getProperty("burst.key49")).isEqualTo("v49"));
			await().atMost(TIMEOUT)
				.until(() -> changes(context).stream()
					.anyMatch((change) -> change.changedProperties().contains("burst.key49")));
			// the first put is applied at once; its read may have seen more of the burst
			assertThat(changes(context)).hasSizeBetween(1, 2);
			assertThat(changes(context).get(0).changedKeys()).contains("config/application/burst/key0");
			assertThat(changes(context).stream().flatMap((change) -> change.changedProperties().stream()))
				.as("every put applied")
				.hasSize(50);
		}
	}

	@Test
	void aRewriteThatChangesNothingDoesNotRefresh() {
		EtcdKeys.put(this.client, "config/application/greeting/message", "hello");
		EtcdKeys.put(this.client, "config/payments/greeting/message", "payments");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd,
				"--spring.application.name=payments")) {
			EtcdKeys.put(this.client, "config/application/greeting/message", "hello");
			// shadowed by the more specific context: the effective value stays
			EtcdKeys.put(this.client, "config/application/greeting/message", "shadowed");
			EtcdKeys.put(this.client, "config/payments/sample/message", "marker");
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(changes(context)).hasSize(1));
			EtcdConfigChange change = changes(context).get(0);
			assertThat(change.changedProperties()).containsExactly("sample.message");
			assertThat(greeting(context)).isEqualTo("payments");
		}
	}

	@Test
	void aMalformedDocumentKeepsThePreviousConfigurationUntilItIsFixed(CapturedOutput output) {
		EtcdKeys.put(this.client, "config/application/data", "greeting:\n  message: hello\n");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, "--etcd.config.format=YAML")) {
			EtcdKeys.put(this.client, "config/application/data", "greeting:\n  message: [broken\n");
			// the watcher has read and rejected the broken document once it reports it
			String report = "Malformed configuration in etcd key 'config/application/data' at line 3";
			await().atMost(TIMEOUT).until(() -> output.getOut().contains(report));
			assertThat(greeting(context)).isEqualTo("hello");
			assertThat(changes(context)).isEmpty();
			EtcdKeys.put(this.client, "config/application/data", "greeting:\n  message: fixed\n");
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(greeting(context)).isEqualTo("fixed"));
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(changes(context)).hasSize(1));
			assertThat(occurrences(output.getOut(), report)).isOne();
		}
	}

	@Test
	void hostileYamlWrittenAtRuntimeIsReportedOnceAndTheWatchGoesOn(CapturedOutput output) {
		EtcdKeys.put(this.client, "config/application/data", "greeting:\n  message: hello\n");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, "--etcd.config.format=YAML")) {
			String recursive = "etcd key 'config/application/data' at line 3";
			EtcdKeys.put(this.client, "config/application/data", HostileDocuments.RECURSIVE_ALIAS);
			await().atMost(TIMEOUT).until(() -> output.getOut().contains(recursive));
			String bomb = "etcd.config.limits.max-aliases";
			EtcdKeys.put(this.client, "config/application/data", HostileDocuments.ALIAS_BOMB);
			await().atMost(TIMEOUT).until(() -> output.getOut().contains(bomb));
			assertThat(greeting(context)).isEqualTo("hello");
			assertThat(changes(context)).isEmpty();
			EtcdKeys.put(this.client, "config/application/data", "greeting:\n  message: fixed\n");
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(greeting(context)).isEqualTo("fixed"));
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(changes(context)).hasSize(1));
			assertThat(occurrences(output.getOut(), recursive)).isOne();
			assertThat(occurrences(output.getOut(), bomb)).isOne();
		}
	}

	@Test
	void applicationsUsingTheBootstrapContextAreRefreshedToo() {
		EtcdKeys.put(this.client, "config/application/greeting/message", "hello");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd,
				"--spring.cloud.bootstrap.enabled=true")) {
			assertThat(greeting(context)).isEqualTo("hello");
			EtcdKeys.put(this.client, "config/application/greeting/message", "hello from bootstrap");
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(greeting(context)).isEqualTo("hello from bootstrap"));
		}
	}

	private static int occurrences(String text, String part) {
		return text.split(Pattern.quote(part), -1).length - 1;
	}

	private static String greeting(ConfigurableApplicationContext context) {
		return context.getBean(ConfigTestApplication.Greeting.class).message();
	}

	private static ConfigTestApplication.Settings settings(ConfigurableApplicationContext context) {
		return context.getBean(ConfigTestApplication.Settings.class);
	}

	private static List<EtcdConfigChange> changes(ConfigurableApplicationContext context) {
		return context.getBean(ConfigTestApplication.ConfigChanges.class).changes;
	}

}
