package io.github.etcdspring.client;

import io.etcd.jetcd.Client;
import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.etcdspring.client.EtcdAutoConfigurationTests.findCause;
import static io.github.etcdspring.test.EtcdKeys.get;
import static io.github.etcdspring.test.EtcdKeys.put;
import static org.assertj.core.api.Assertions.assertThat;

class EtcdTlsTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().withTls();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdAutoConfiguration.class,
				EtcdHealthContributorAutoConfiguration.class));

	@Test
	void mutualTlsThroughAnSslBundle() {
		this.contextRunner.withPropertyValues(etcd.springProperties()).run((context) -> {
			Client client = context.getBean(Client.class);
			put(client, "/tls/key", "secret");
			assertThat(get(client, "/tls/key")).isEqualTo("secret");
			Health health = context.getBean(EtcdHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("members", 1);
		});
	}

	@Test
	void hostAndPortEndpointsUseTlsWhenABundleIsSet() {
		String hostAndPort = etcd.endpoints().get(0).getAuthority();
		this.contextRunner.withPropertyValues(etcd.springProperties())
			.withPropertyValues("etcd.endpoints=" + hostAndPort)
			.run((context) -> put(context.getBean(Client.class), "/tls/bare", "ok"));
	}

	@Test
	void untrustedServerCertificateStopsTheStartup() {
		this.contextRunner.withPropertyValues(etcd.springProperties())
			.withPropertyValues("spring.ssl.bundle.pem.etcd-test.truststore.certificate=file:"
					+ etcd.certificates().untrustedCaCertificate())
			.run((context) -> {
				assertThat(context).hasFailed();
				EtcdConnectionException failure = findCause(context.getStartupFailure(), EtcdConnectionException.class);
				assertThat(failure.getFailure()).isEqualTo(EtcdFailure.TLS_HANDSHAKE_FAILED);
				assertThat(failure.getMessage()).contains("TLS handshake with etcd failed");
				assertThat(new EtcdConnectionFailureAnalyzer().analyze(context.getStartupFailure()).getAction())
					.contains("etcd.ssl.bundle");
			});
	}

	@Test
	void missingClientCertificateIsRejectedByTheServer() {
		this.contextRunner
			.withPropertyValues("etcd.endpoints=" + etcd.endpoints().get(0), "etcd.ssl.bundle=trust-only",
					"etcd.dial-timeout=3s",
					"spring.ssl.bundle.pem.trust-only.truststore.certificate=file:"
							+ etcd.certificates().caCertificate())
			.run((context) -> {
				assertThat(context).hasFailed();
				EtcdConnectionException failure = findCause(context.getStartupFailure(), EtcdConnectionException.class);
				assertThat(failure.getFailure()).isEqualTo(EtcdFailure.TLS_HANDSHAKE_FAILED);
				assertThat(failure.getMessage()).contains("certificate");
			});
	}

	@Test
	void plainTextEndpointWithABundleIsAConfigurationError() {
		String plainText = "http://" + etcd.endpoints().get(0).getAuthority();
		this.contextRunner.withPropertyValues(etcd.springProperties())
			.withPropertyValues("etcd.endpoints=" + plainText)
			.run((context) -> {
				InvalidConfigurationPropertyValueException failure = findCause(context.getStartupFailure(),
						InvalidConfigurationPropertyValueException.class);
				assertThat(failure.getName()).isEqualTo("etcd.endpoints");
				assertThat(failure.getMessage()).contains(plainText).contains("etcd.ssl.bundle");
			});
	}

	@Test
	void tlsEndpointWithoutABundleIsAConfigurationError() {
		this.contextRunner.withPropertyValues("etcd.endpoints=" + etcd.endpoints().get(0)).run((context) -> {
			InvalidConfigurationPropertyValueException failure = findCause(context.getStartupFailure(),
					InvalidConfigurationPropertyValueException.class);
			assertThat(failure.getName()).isEqualTo("etcd.endpoints");
			assertThat(failure.getMessage()).contains("without an SSL bundle").contains("etcd.ssl.bundle");
		});
	}

}
