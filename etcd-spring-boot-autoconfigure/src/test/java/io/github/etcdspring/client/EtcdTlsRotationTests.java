package io.github.etcdspring.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import io.etcd.jetcd.Client;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.etcdspring.test.EtcdKeys.get;
import static io.github.etcdspring.test.EtcdKeys.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Certificates rotated while the application runs: etcd restarts with a new authority and
 * new certificates, the files of the SSL bundle are rewritten, Spring Boot reloads the
 * bundle ({@code reload-on-update}), and the next connection the client opens uses it.
 */
class EtcdTlsRotationTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().withTls();

	@TempDir
	Path bundleFiles;

	@Test
	void newConnectionsUseTheReloadedBundle() throws IOException {
		copyBundleFiles(etcd.certificates());
		String bundle = "spring.ssl.bundle.pem." + EtcdCluster.SSL_BUNDLE;
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdAutoConfiguration.class))
			.withPropertyValues(etcd.springProperties())
			.withPropertyValues(bundle + ".truststore.certificate=file:" + this.bundleFiles.resolve("ca.pem"),
					bundle + ".keystore.certificate=file:" + this.bundleFiles.resolve("client.pem"),
					bundle + ".keystore.private-key=file:" + this.bundleFiles.resolve("client-key.pem"),
					bundle + ".reload-on-update=true", "spring.ssl.bundle.watch.file.quiet-period=200ms",
					"etcd.request-timeout=2s")
			.run((context) -> {
				Client client = context.getBean(Client.class);
				put(client, "/rotation/before", "ok");

				TestCertificates rotated = etcd.rotateCertificates();
				copyBundleFiles(rotated);

				await().atMost(BOUND)
					.ignoreExceptions()
					.untilAsserted(() -> assertThat(get(client, "/rotation/before")).isEqualTo("ok"));
				put(client, "/rotation/after", "ok");
				assertThat(get(etcd.client(), "/rotation/after")).isEqualTo("ok");
			});
	}

	private void copyBundleFiles(TestCertificates certificates) throws IOException {
		copy(certificates.caCertificate(), "ca.pem");
		copy(certificates.clientCertificate(), "client.pem");
		copy(certificates.clientPrivateKey(), "client-key.pem");
	}

	private void copy(Path source, String name) throws IOException {
		Files.copy(source, this.bundleFiles.resolve(name), StandardCopyOption.REPLACE_EXISTING);
	}

}
