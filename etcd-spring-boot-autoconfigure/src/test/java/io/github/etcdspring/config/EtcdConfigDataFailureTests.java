package io.github.etcdspring.config;

import java.util.List;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.etcdspring.embedded.LocalEtcdServer;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.cloud.commons.ConfigDataMissingEnvironmentPostProcessor;
import org.springframework.cloud.commons.ConfigDataMissingEnvironmentPostProcessor.ImportException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What startup does when configuration cannot be read from etcd: unreachable, malformed,
 * not imported, or not permitted.
 */
class EtcdConfigDataFailureTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client client = etcd.client();

	@Test
	void unreachableEtcdStopsTheStartupNamingTheEndpointAndTheContexts() {
		String endpoint = "http://127.0.0.1:" + LocalEtcdServer.freePort();
		assertThatExceptionOfType(EtcdConfigDataException.class)
			.isThrownBy(() -> ConfigTestApplication.run("--etcd.endpoints=" + endpoint,
					"--spring.application.name=payments"))
			.withMessageContaining(endpoint)
			.withMessageContaining("[config/application/, config/payments/]")
			.withMessageContaining("etcd is unreachable")
			.satisfies((ex) -> assertThat(analyze(ex).getAction()).contains("optional:etcd:")
				.contains("etcd.config.fail-fast=false"));
	}

	@Test
	void optionalImportStartsWithoutEtcd() {
		String endpoint = "http://127.0.0.1:" + LocalEtcdServer.freePort();
		try (ConfigurableApplicationContext context = ConfigTestApplication.run("--etcd.endpoints=" + endpoint,
				"--etcd.fail-fast=false", "--spring.config.import=optional:etcd:")) {
			assertThat(context.getBean(ConfigTestApplication.Settings.class).getMessage()).isEqualTo("default");
			assertThat(EtcdConfigDataTests.etcdSourceNames(context.getEnvironment()))
				.containsExactly("etcd:config/application");
		}
	}

	@Test
	void failFastFalseStartsWithoutEtcd() {
		String endpoint = "http://127.0.0.1:" + LocalEtcdServer.freePort();
		try (ConfigurableApplicationContext context = ConfigTestApplication.run("--etcd.endpoints=" + endpoint,
				"--etcd.fail-fast=false", "--etcd.config.fail-fast=false")) {
			assertThat(context.getBean(ConfigTestApplication.Settings.class).getMessage()).isEqualTo("default");
		}
	}

	@Test
	void malformedYamlStopsTheStartupNamingTheKeyAndLine() {
		EtcdKeys.put(this.client, "config/application/data", "sample:\n  message: ok\n  tags: [a, b\n");
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> ConfigTestApplication.start(etcd, "--etcd.config.format=YAML"))
			.withMessageContaining("etcd key 'config/application/data' at line 4")
			.satisfies((ex) -> assertThat(analyze(ex).getAction()).contains("etcdctl get config/application/data"));
	}

	@Test
	void malformedJsonStopsTheStartupNamingTheKeyAndLine() {
		EtcdKeys.put(this.client, "config/application/data", "{\n  \"sample\": {\n    \"message\": oops\n  }\n}");
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> ConfigTestApplication.start(etcd, "--etcd.config.format=JSON"))
			.withMessageContaining("etcd key 'config/application/data' at line 3");
	}

	@Test
	void malformedPropertiesStopTheStartupNamingTheKeyAndLine() {
		EtcdKeys.put(this.client, "config/application/data", "sample.limit=1\nsample.message=\\u00zz\n");
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> ConfigTestApplication.start(etcd, "--etcd.config.format=PROPERTIES"))
			.withMessageContaining("etcd key 'config/application/data' at line 2");
	}

	@Test
	void malformedDocumentOfAnOptionalImportIsSkippedAndTheOtherContextsLoad() {
		EtcdKeys.put(this.client, "config/application/data", "sample: [unclosed\n");
		EtcdKeys.put(this.client, "config/payments/data", "sample:\n  limit: 9\n");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, "--etcd.config.format=YAML",
				"--spring.application.name=payments", "--spring.config.import=optional:etcd:")) {
			ConfigTestApplication.Settings settings = context.getBean(ConfigTestApplication.Settings.class);
			assertThat(settings.getLimit()).isEqualTo(9);
			assertThat(settings.getMessage()).isEqualTo("default");
		}
	}

	@Test
	void aRecursiveYamlAliasStopsTheStartupNamingTheKeyAndLine() {
		EtcdKeys.put(this.client, "config/application/data", HostileDocuments.RECURSIVE_ALIAS);
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> ConfigTestApplication.start(etcd, "--etcd.config.format=YAML"))
			.withMessageContaining("etcd key 'config/application/data' at line 3")
			.withMessageContaining("etcd.config.limits.max-depth");
	}

	@Test
	void aYamlAliasBombStopsTheStartupNamingTheKeyAndTheLimit() {
		EtcdKeys.put(this.client, "config/application/data", HostileDocuments.ALIAS_BOMB);
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> ConfigTestApplication.start(etcd, "--etcd.config.format=YAML"))
			.withMessageContaining("etcd key 'config/application/data'")
			.withMessageContaining("etcd.config.limits.max-aliases");
	}

	@Test
	void hostileYamlOfAnOptionalImportIsSkippedAndTheOtherContextsLoad() {
		EtcdKeys.put(this.client, "config/application/data", HostileDocuments.RECURSIVE_ALIAS);
		EtcdKeys.put(this.client, "config/payments/data", HostileDocuments.ALIAS_BOMB + "  limit: 9\n");
		EtcdKeys.put(this.client, "config/payments,dev/data", "sample:\n  message: from dev\n");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, "--etcd.config.format=YAML",
				"--spring.application.name=payments", "--spring.profiles.active=dev",
				"--spring.config.import=optional:etcd:")) {
			ConfigTestApplication.Settings settings = context.getBean(ConfigTestApplication.Settings.class);
			assertThat(settings.getMessage()).isEqualTo("from dev");
			assertThat(settings.getLimit()).isZero();
			assertThat(settings.getTags()).isEmpty();
		}
	}

	@Test
	void hostileFilesOfAnOptionalImportAreSkippedAndUtf8FilesReadAsWritten() {
		EtcdKeys.put(this.client, "config/application.yaml", HostileDocuments.ALIAS_BOMB);
		EtcdKeys.put(this.client, "config/payments.json", "{\"sample\": {\"limit\": 9}}");
		EtcdKeys.put(this.client, "config/payments.properties", "sample.message=caf\u00e9\n");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, "--etcd.config.format=FILES",
				"--spring.application.name=payments", "--spring.config.import=optional:etcd:")) {
			ConfigTestApplication.Settings settings = context.getBean(ConfigTestApplication.Settings.class);
			assertThat(settings.getLimit()).isEqualTo(9);
			assertThat(settings.getMessage()).isEqualTo("caf\u00e9");
			assertThat(settings.getTags()).isEmpty();
		}
	}

	@Test
	void aKeyValueThatIsNotUtf8StopsTheStartupNamingTheKey() {
		EtcdKeys.put(this.client, "config/application/sample/limit", "9");
		EtcdKeys.await(this.client.getKVClient()
			.put(EtcdKeys.bytes("config/application/sample/message"),
					ByteSequence.from(new byte[] { 'c', (byte) 0xE9 })));
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> ConfigTestApplication.start(etcd))
			.withMessageContaining("etcd key 'config/application/sample/message'")
			.withMessageContaining("not valid UTF-8");
	}

	@Test
	void keyValuesBeyondTheLimitsOfAnOptionalImportSkipTheirContextOnly() {
		EtcdKeys.put(this.client, "config/application/sample/message", "x".repeat(2048));
		EtcdKeys.put(this.client, "config/payments/sample/limit", "9");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd,
				"--etcd.config.limits.max-document-size=1KB", "--spring.application.name=payments",
				"--spring.config.import=optional:etcd:")) {
			ConfigTestApplication.Settings settings = context.getBean(ConfigTestApplication.Settings.class);
			assertThat(settings.getLimit()).isEqualTo(9);
			assertThat(settings.getMessage()).isEqualTo("default");
		}
		EtcdKeys.put(this.client, "config/application/sample/tags", "a");
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> ConfigTestApplication.start(etcd, "--etcd.config.limits.max-properties=1"))
			.withMessageContaining("etcd key 'config/application/sample/tags'")
			.withMessageContaining("etcd.config.limits.max-properties");
	}

	@Test
	void contextsLargerThanTheInboundLimitStopTheStartupNamingTheProperty() {
		EtcdKeys.put(this.client, "config/application/sample/message", "x".repeat(100_000));
		assertThatExceptionOfType(EtcdConfigDataException.class)
			.isThrownBy(() -> ConfigTestApplication.start(etcd, "--etcd.max-inbound-message-size=64KB"))
			.withMessageContaining("etcd.max-inbound-message-size")
			.satisfies((ex) -> assertThat(analyze(ex).getAction()).contains("Raise etcd.max-inbound-message-size"));
	}

	@Test
	void configuringEtcdConfigWithoutImportingItIsExplained() {
		assertThatExceptionOfType(EtcdConfigImportMissingException.class)
			.isThrownBy(
					() -> ConfigTestApplication.start(etcd, "--spring.config.import=", "--etcd.config.name=payments"))
			.satisfies((ex) -> assertThat(analyze(ex).getAction()).contains("spring.config.import=etcd:"));
	}

	@Test
	void anotherIntegrationsMissingImportIsLeftToItsOwnAnalyzer() {
		ConfigDataMissingEnvironmentPostProcessor zookeeperCheck = new ConfigDataMissingEnvironmentPostProcessor() {

			@Override
			protected boolean shouldProcessEnvironment(Environment environment) {
				return true;
			}

			@Override
			protected String getPrefix() {
				return "zookeeper:";
			}

		};
		assertThatExceptionOfType(ImportException.class)
			.isThrownBy(() -> zookeeperCheck.postProcessEnvironment(new StandardEnvironment(), new SpringApplication()))
			.satisfies((ex) -> assertThat(new EtcdConfigImportFailureAnalyzer().analyze(ex)).isNull());
	}

	@Test
	void aNegativeQuietPeriodIsRejectedNamingTheProperty() {
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> ConfigTestApplication.start(etcd, "--etcd.config.watch.delay=-1s"))
			.havingRootCause()
			.isInstanceOf(InvalidConfigurationPropertyValueException.class)
			.withMessageContaining("etcd.config.watch.delay");
	}

	@Test
	void aLimitBelowOneIsRejectedNamingTheProperty() {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> ConfigTestApplication.start(etcd, "--etcd.config.limits.max-depth=0"))
			.withMessageContaining("etcd.config.limits.max-depth");
	}

	@Test
	void applicationsThatDoNotConfigureEtcdConfigAreNotChecked() {
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, "--spring.config.import=")) {
			assertThat(EtcdConfigDataTests.etcdSourceNames(context.getEnvironment())).isEmpty();
		}
	}

	private static FailureAnalysis analyze(Throwable failure) {
		for (AbstractFailureAnalyzer<?> analyzer : List.of(new EtcdConfigDataFailureAnalyzer(),
				new MalformedConfigurationFailureAnalyzer(), new EtcdConfigImportFailureAnalyzer())) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return analysis;
			}
		}
		throw new AssertionError("No analysis of " + failure);
	}

}
