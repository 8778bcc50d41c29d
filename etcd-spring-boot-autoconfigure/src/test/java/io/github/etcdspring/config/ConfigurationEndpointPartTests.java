package io.github.etcdspring.config;

import java.time.Duration;
import java.util.List;

import io.etcd.jetcd.Client;
import io.github.etcdspring.config.ConfigurationEndpointPart.Configuration;
import io.github.etcdspring.config.ConfigurationEndpointPart.LoadedContext;
import io.github.etcdspring.config.ConfigurationEndpointPart.Refresh;
import io.github.etcdspring.embedded.LocalEtcdServer;
import io.github.etcdspring.endpoint.EtcdEndpoint;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code configuration} part of the {@code etcd} endpoint, read from the endpoint of
 * an application whose configuration changes in a real etcd.
 */
class ConfigurationEndpointPartTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String EXPOSED = "--management.endpoints.web.exposure.include=etcd";

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client client = etcd.client();

	@Test
	void showsTheContextsAtTheirRevisionAndEachRefreshWithItsChangedKeysAndProperties() {
		EtcdKeys.put(this.client, "config/application/greeting/message", "hello");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, EXPOSED,
				"--spring.application.name=payments")) {
			Configuration before = configuration(context);
			assertThat(before.contexts()).extracting(LoadedContext::path)
				.containsExactly("config/payments", "config/application");
			LoadedContext application = before.contexts().get(1);
			assertThat(application.format()).isEqualTo("key-value");
			assertThat(application.propertySource()).isEqualTo("etcd:config/application");
			assertThat(application.revision()).isPositive();
			assertThat(application.readAt()).isNotNull();
			// the startup read of the import, with its duration
			assertThat(before.imports()).singleElement().satisfies((startup) -> {
				assertThat(startup.contexts()).containsExactly("config/application", "config/payments");
				assertThat(startup.outcome()).isEqualTo("loaded");
				assertThat(startup.revision()).isEqualTo(application.revision());
				assertThat(startup.durationMillis()).isNotNegative();
			});
			assertThat(before.refreshes()).isEmpty();
			assertThat(before.lastRejected()).isNull();
			EtcdKeys.put(this.client, "config/application/greeting/message", "a secret value");
			await().atMost(TIMEOUT).until(() -> configuration(context).refreshes().size() == 1);
			Configuration after = configuration(context);
			Refresh refresh = after.refreshes().get(0);
			assertThat(refresh.outcome()).isEqualTo("refreshed");
			assertThat(refresh.mode()).isEqualTo("in-place");
			assertThat(refresh.changedKeys()).containsExactly("config/application/greeting/message");
			assertThat(refresh.changedKeyCount()).isOne();
			assertThat(refresh.changedProperties()).containsExactly("greeting.message");
			assertThat(refresh.changedPropertyCount()).isOne();
			assertThat(refresh.durationMillis()).isNotNegative();
			assertThat(refresh.revision()).isGreaterThan(application.revision());
			// the source in force was updated from the watcher's read
			assertThat(after.contexts().get(1).revision()).isEqualTo(refresh.revision());
			assertThat(after.toString()).doesNotContain("a secret value");
		}
	}

	@Test
	void aRewriteOfTheSameValueIsShownUnchanged() {
		EtcdKeys.put(this.client, "config/application/greeting/message", "hello");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, EXPOSED)) {
			EtcdKeys.put(this.client, "config/application/greeting/message", "hello");
			await().atMost(TIMEOUT).until(() -> configuration(context).refreshes().size() == 1);
			Refresh check = configuration(context).refreshes().get(0);
			assertThat(check.outcome()).isEqualTo("unchanged");
			assertThat(check.changedKeys()).containsExactly("config/application/greeting/message");
			assertThat(check.changedProperties()).isEmpty();
		}
	}

	@Test
	void aRejectedDocumentIsShownByKeyAndReasonWithoutItsContentWhileTheLastGoodConfigurationStays() {
		EtcdKeys.put(this.client, "config/application/data", "greeting:\n  message: hello\n");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, EXPOSED,
				"--etcd.config.format=YAML")) {
			EtcdKeys.put(this.client, "config/application/data", "greeting:\n  message: [secret-broken\n");
			await().atMost(TIMEOUT).until(() -> configuration(context).lastRejected() != null);
			Configuration rejected = configuration(context);
			ConfigurationEndpointPart.Rejected document = rejected.lastRejected();
			assertThat(document.key()).isEqualTo("config/application/data");
			assertThat(document.reason()).contains("Malformed configuration in etcd key 'config/application/data'");
			assertThat(document.time()).isNotNull();
			assertThat(rejected.rejectedDocuments()).isOne();
			String json = JsonMapper.builder().build().writeValueAsString(rejected);
			assertThat(json).contains("\"lastRejected\":{\"time\":\"")
				.contains("\"key\":\"config/application/data\"")
				.contains("\"durationMillis\":")
				.doesNotContain("secret-broken");
			assertThat(rejected.refreshes()).singleElement().satisfies((check) -> {
				assertThat(check.outcome()).isEqualTo("rejected");
				assertThat(check.changedKeys()).containsExactly("config/application/data");
			});
			assertThat(context.getEnvironment().getProperty("greeting.message")).isEqualTo("hello");
			assertThat(rejected.contexts().get(0).revision()).isLessThan(document.revision());
		}
	}

	@Test
	void theHistoryKeepsOnlyTheLastChecks() {
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, EXPOSED,
				"--etcd.config.watch.history-size=2")) {
			for (int i = 1; i <= 4; i++) {
				String value = "v" + i;
				EtcdKeys.put(this.client, "config/application/step/key" + i, value);
				await().atMost(TIMEOUT)
					.until(() -> configuration(context).refreshes()
						.stream()
						.anyMatch((refresh) -> refresh.changedProperties().contains("step.key" + value.substring(1))));
			}
			List<Refresh> refreshes = configuration(context).refreshes();
			assertThat(refreshes).hasSize(2);
			assertThat(refreshes.get(0).changedProperties()).containsExactly("step.key4");
			assertThat(refreshes.get(1).changedProperties()).containsExactly("step.key3");
		}
	}

	@Test
	void anOptionalImportThatCouldNotReadEtcdIsShownNotLoaded() {
		String endpoint = "http://127.0.0.1:" + LocalEtcdServer.freePort();
		try (ConfigurableApplicationContext context = ConfigTestApplication.run(EXPOSED, "--etcd.endpoints=" + endpoint,
				"--etcd.fail-fast=false", "--spring.config.import=optional:etcd:")) {
			Configuration configuration = configuration(context);
			assertThat(configuration.imports()).singleElement().satisfies((startup) -> {
				assertThat(startup.outcome()).isEqualTo("not-loaded");
				assertThat(startup.revision()).isNull();
			});
			assertThat(configuration.contexts()).singleElement().satisfies((loaded) -> {
				assertThat(loaded.path()).isEqualTo("config/application");
				assertThat(loaded.revision()).isNull();
				assertThat(loaded.readAt()).isNull();
			});
		}
	}

	@Test
	void aDocumentThatAnOptionalImportSkippedAtStartupIsShownRejected() {
		EtcdKeys.put(this.client, "config/application/data", "sample: [unclosed\n");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, EXPOSED,
				"--etcd.config.format=YAML", "--spring.config.import=optional:etcd:")) {
			assertThat(configuration(context).imports()).singleElement()
				.satisfies((startup) -> assertThat(startup.outcome()).isEqualTo("rejected"));
		}
	}

	@Test
	void anApplicationLoadedByTheBootstrapContextShowsItsContextsAndRefreshesWithoutImports() {
		EtcdKeys.put(this.client, "config/application/greeting/message", "hello");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, EXPOSED,
				"--spring.cloud.bootstrap.enabled=true")) {
			Configuration before = configuration(context);
			assertThat(before.imports()).isEmpty();
			assertThat(before.contexts()).singleElement()
				.satisfies((loaded) -> assertThat(loaded.revision()).isPositive());
			EtcdKeys.put(this.client, "config/application/greeting/message", "hello again");
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(configuration(context).refreshes()).singleElement()
					.satisfies(
							(refresh) -> assertThat(refresh.changedProperties()).containsExactly("greeting.message")));
		}
	}

	private static Configuration configuration(ConfigurableApplicationContext context) {
		return (Configuration) context.getBean(EtcdEndpoint.class).part("configuration");
	}

}
