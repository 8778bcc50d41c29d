package io.github.etcdspring.test.context;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.etcd.jetcd.Client;
import io.github.etcdspring.client.EtcdConnectionDetails;
import io.github.etcdspring.embedded.EmbeddedEtcd;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application's {@code @SpringBootTest} with {@link LocalEtcd} runs against a local
 * etcd of its own, whatever endpoints the application configures: its client, its
 * configuration import and the live refresh all use it.
 */
@SpringBootTest(classes = LocalEtcdTests.TestApplication.class,
		properties = { "spring.application.name=local-etcd-app", "spring.config.import=etcd:",
				"etcd.endpoints=http://127.0.0.1:9", "etcd.dial-timeout=1s" })
@LocalEtcd
class LocalEtcdTests {

	@Autowired
	private EtcdConnectionDetails connectionDetails;

	@Autowired
	private EmbeddedEtcd embeddedEtcd;

	@Autowired
	private Client client;

	@Autowired
	private Environment environment;

	@Test
	void theApplicationsClientIsConnectedToALocalEtcdOnAFreeLoopbackPort() {
		URI local = this.embeddedEtcd.getClientUrl();
		assertThat(local.getHost()).isEqualTo("127.0.0.1");
		assertThat(local.getPort()).isNotIn(2379, 9);
		assertThat(this.connectionDetails.getEndpoints()).isEqualTo(List.of(local));
		EtcdKeys.put(this.client, "local-etcd-tests/key", "value");
		assertThat(EtcdKeys.get(this.client, "local-etcd-tests/key")).isEqualTo("value");
	}

	@Test
	void theConfigurationImportReadsAndWatchesTheLocalEtcd() {
		EtcdKeys.put(this.client, "config/local-etcd-app/greeting/message", "from the local etcd");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> "from the local etcd".equals(this.environment.getProperty("greeting.message")));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
