package io.github.etcdspring.config;

import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the etcd sources land among the command line's in the bootstrap mode, as the
 * README states it: Spring Cloud's own rules place them above the command line by
 * default, and {@code etcd.config.override-local=false} moves them below it.
 */
class EtcdConfigBootstrapPrecedenceTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	@Test
	void inTheBootstrapModeEtcdWinsOverTheCommandLineByDefault() {
		EtcdKeys.put(etcd.client(), "config/application/p/local", "etcd");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd,
				"--spring.cloud.bootstrap.enabled=true", "--p.local=command line")) {
			assertThat(context.getEnvironment().getProperty("p.local")).isEqualTo("etcd");
		}
	}

	@Test
	void inTheBootstrapModeOverrideLocalFalseLetsTheCommandLineWin() {
		EtcdKeys.put(etcd.client(), "config/application/p/local", "etcd");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd,
				"--spring.cloud.bootstrap.enabled=true", "--etcd.config.override-local=false",
				"--p.local=command line")) {
			assertThat(context.getEnvironment().getProperty("p.local")).isEqualTo("command line");
		}
	}

}
