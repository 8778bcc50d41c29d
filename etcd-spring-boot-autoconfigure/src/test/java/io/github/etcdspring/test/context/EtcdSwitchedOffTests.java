package io.github.etcdspring.test.context;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdspring.client.EtcdConnectionDetails;
import io.github.etcdspring.client.EtcdHealthIndicator;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code etcd.enabled=false} is the one property that switches the starter off for an
 * application's tests: nothing is read from or written to etcd, including the
 * configuration of a non-optional {@code etcd:} import, even with fail-fast, leader
 * election and registration settings in place.
 */
class EtcdSwitchedOffTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	@Test
	void anApplicationWithEveryFeatureConfiguredStartsWithoutTouchingEtcd() {
		EtcdKeys.put(etcd.client(), "config/switched-off/greeting/message", "from etcd");
		try (ConfigurableApplicationContext app = start("--spring.config.import=etcd:", "--etcd.fail-fast=true",
				"--etcd.config.fail-fast=true", "--etcd.leader.enabled=true", "--service.port=8080",
				"--etcd.endpoints=" + etcd.endpoints().get(0))) {
			assertThat(app.getBeansOfType(Client.class)).isEmpty();
			assertThat(app.getBeansOfType(EtcdConnectionDetails.class)).isEmpty();
			assertThat(app.getBeansOfType(EtcdHealthIndicator.class)).isEmpty();
			assertThat(app.getBeansOfType(DiscoveryClient.class).values())
				.noneMatch((client) -> client.getClass().getName().startsWith("io.github.etcdspring"));
			assertThat(app.getEnvironment().getProperty("greeting.message")).isNull();
			assertThat(keyCount()).isOne();
		}
	}

	@Test
	void anApplicationWithEtcdSettingsButNoReachableEtcdStarts() {
		try (ConfigurableApplicationContext app = start("--spring.config.import=etcd:", "--etcd.config.format=YAML",
				"--etcd.endpoints=http://127.0.0.1:9")) {
			assertThat(app.getBeansOfType(Client.class)).isEmpty();
		}
	}

	@Test
	void configurationSettingsWithoutTheImportDoNotFailTheStartupWhenSwitchedOff() {
		try (ConfigurableApplicationContext app = start("--etcd.config.format=YAML",
				"--etcd.endpoints=http://127.0.0.1:9")) {
			assertThat(app.getBeansOfType(Client.class)).isEmpty();
		}
	}

	private static ConfigurableApplicationContext start(String... args) {
		String[] all = new String[args.length + 2];
		all[0] = "--spring.application.name=switched-off";
		all[1] = "--etcd.enabled=false";
		System.arraycopy(args, 0, all, 2, args.length);
		return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE).run(all);
	}

	private static long keyCount() {
		return EtcdKeys.await(etcd.client()
			.getKVClient()
			.get(EtcdKeys.bytes("\0"), GetOption.builder().withRange(EtcdKeys.bytes("\0")).withCountOnly(true).build()))
			.getCount();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
