package io.github.etcdspring.config;

import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configuration read over mutual TLS, with the SSL bundle of {@code spring.ssl.bundle.*}
 * built before the application context exists.
 */
class EtcdConfigTlsTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().withTls();

	@Test
	void configurationIsReadThroughTheSslBundle() {
		EtcdKeys.put(etcd.client(), "config/application/greeting/message", "over TLS");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd)) {
			assertThat(context.getBean(ConfigTestApplication.Greeting.class).message()).isEqualTo("over TLS");
		}
	}

}
