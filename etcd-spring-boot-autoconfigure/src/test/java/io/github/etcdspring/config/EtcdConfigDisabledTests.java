package io.github.etcdspring.config;

import io.etcd.jetcd.Client;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code etcd.config.enabled=false} turns the configuration off and leaves the rest of
 * the starter on: a required {@code etcd:} import loads nothing instead of failing as a
 * location that cannot be found.
 */
class EtcdConfigDisabledTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	@Test
	void aRequiredImportLoadsNothingWhenTheConfigurationIsDisabled() {
		EtcdKeys.put(etcd.client(), "config/application/p/local", "etcd");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, "--spring.config.import=etcd:",
				"--etcd.config.enabled=false")) {
			assertThat(context.getEnvironment().getProperty("p.local")).isNull();
			assertThat(EtcdConfigDataTests.etcdSourceNames(context.getEnvironment())).isEmpty();
			assertThat(context.getBeansOfType(Client.class)).hasSize(1);
		}
	}

}
