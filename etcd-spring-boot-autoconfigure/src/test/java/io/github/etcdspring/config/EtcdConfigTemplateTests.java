package io.github.etcdspring.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Reading and writing configuration with {@link EtcdConfigOperations}.
 */
class EtcdConfigTemplateTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client client = etcd.client();

	@Test
	void valuesAreStoredOneKeyPerProperty() {
		try (ConfigurableApplicationContext context = start("--spring.application.name=payments",
				"--spring.profiles.active=dev")) {
			EtcdConfigOperations operations = context.getBean(EtcdConfigOperations.class);
			assertThat(operations.getContexts()).extracting(EtcdConfigContext::path)
				.containsExactly("config/application", "config/application,dev", "config/payments",
						"config/payments,dev");
			EtcdConfigContext payments = operations.context("payments");
			operations.putValue(payments, "server.port", "8081");
			assertThat(EtcdKeys.get(this.client, "config/payments/server/port")).isEqualTo("8081");
			assertThat(operations.getValue(payments, "server.port")).contains("8081");
			assertThat(operations.putValueIfAbsent(payments, "server.port", "9999")).isFalse();
			assertThat(operations.putValueIfAbsent(payments, "sample.limit", "5")).isTrue();
			assertThat(operations.getProperties(payments)).containsEntry("server.port", "8081")
				.containsEntry("sample.limit", "5");
			assertThat(operations.deleteValue(payments, "server.port")).isTrue();
			assertThat(operations.deleteValue(payments, "server.port")).isFalse();
			assertThat(operations.getValue(payments, "server.port")).isEmpty();
			assertThatIllegalArgumentException().isThrownBy(() -> operations.putValue(payments, "Not A Name", "x"));
			assertThatIllegalArgumentException().isThrownBy(() -> operations.getDocument(payments));
		}
	}

	@Test
	void documentsAreValidatedBeforeTheyAreStored() {
		try (ConfigurableApplicationContext context = start("--etcd.config.format=YAML")) {
			EtcdConfigOperations operations = context.getBean(EtcdConfigOperations.class);
			EtcdConfigContext application = operations.context("application");
			assertThat(operations.putDocumentIfAbsent(application, "sample:\n  limit: 1\n")).isTrue();
			assertThat(operations.putDocumentIfAbsent(application, "sample:\n  limit: 2\n")).isFalse();
			assertThatExceptionOfType(MalformedConfigurationException.class)
				.isThrownBy(() -> operations.putDocument(application, "sample: [broken\n"))
				.withMessageContaining("config/application/data");
			assertThat(operations.getDocument(application)).contains("sample:\n  limit: 1\n");
			assertThat(operations.getProperties(application)).containsEntry("sample.limit", 1);
			assertThat(operations.deleteDocument(application)).isTrue();
			assertThat(operations.getDocument(application)).isEmpty();
		}
	}

	@Test
	void filesAreNamedWithTheirExtension() {
		try (ConfigurableApplicationContext context = start("--etcd.config.format=FILES")) {
			EtcdConfigOperations operations = context.getBean(EtcdConfigOperations.class);
			operations.putDocument(operations.context("payments-dev.properties"), "sample.limit=3\n");
			assertThat(EtcdKeys.get(this.client, "config/payments-dev.properties")).isEqualTo("sample.limit=3\n");
			assertThat(operations.getProperties(operations.context("payments-dev"))).containsEntry("sample.limit", "3");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> operations.putDocument(operations.context("payments"), "a=1"))
				.withMessageContaining("payments.yaml");
			assertThatExceptionOfType(MalformedConfigurationException.class)
				.isThrownBy(() -> operations.putDocument(operations.context("payments.json"), "{oops"));
		}
	}

	@Test
	void propertiesDocumentsReadBackAsTheyWereWritten() {
		try (ConfigurableApplicationContext context = start("--etcd.config.format=PROPERTIES")) {
			EtcdConfigOperations operations = context.getBean(EtcdConfigOperations.class);
			EtcdConfigContext application = operations.context("application");
			operations.putDocument(application, "sample.message=caf\u00e9 \u2615 \ud83d\ude00\n");
			assertThat(operations.getProperties(application)).containsEntry("sample.message",
					"caf\u00e9 \u2615 \ud83d\ude00");
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(context.getEnvironment().getProperty("sample.message"))
					.isEqualTo("caf\u00e9 \u2615 \ud83d\ude00"));
		}
	}

	@Test
	void malformedUtf8IsReportedNamingTheKeyAndLine() {
		try (ConfigurableApplicationContext context = start("--etcd.config.format=PROPERTIES")) {
			EtcdConfigOperations operations = context.getBean(EtcdConfigOperations.class);
			byte[] latin1 = "sample.limit=1\nsample.message=caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
			EtcdKeys.await(this.client.getKVClient()
				.put(EtcdKeys.bytes("config/application/data"), ByteSequence.from(latin1)));
			assertThatExceptionOfType(MalformedConfigurationException.class)
				.isThrownBy(() -> operations.getProperties(operations.context("application")))
				.withMessageContaining("etcd key 'config/application/data' at line 2")
				.withMessageContaining("UTF-8")
				.withMessageNotContaining("caf");
		}
	}

	private static ConfigurableApplicationContext start(String... arguments) {
		return ConfigTestApplication.start(etcd, arguments);
	}

}
