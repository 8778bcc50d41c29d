package io.github.etcdspring.config;

import java.util.List;

import io.etcd.jetcd.Client;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loading configuration from etcd through {@code spring.config.import=etcd:}, against a
 * real etcd.
 */
class EtcdConfigDataTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client client = etcd.client();

	@Test
	void keyValueContextsBecomePropertiesWithSlashesAsDots() {
		EtcdKeys.put(this.client, "config/application/sample/message", "from etcd");
		EtcdKeys.put(this.client, "config/application/sample/limit", "7");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd)) {
			ConfigTestApplication.Settings settings = context.getBean(ConfigTestApplication.Settings.class);
			assertThat(settings.getMessage()).isEqualTo("from etcd");
			assertThat(settings.getLimit()).isEqualTo(7);
			assertThat(context.getEnvironment().getPropertySources().get("etcd:config/application"))
				.isInstanceOf(EtcdPropertySource.class);
		}
	}

	@Test
	void moreSpecificContextsWinLaterProfilesWinAndEtcdOverridesApplicationYaml() {
		EtcdKeys.put(this.client, "config/application/p/a", "application");
		EtcdKeys.put(this.client, "config/application/p/b", "application");
		EtcdKeys.put(this.client, "config/application,dev/p/b", "application,dev");
		EtcdKeys.put(this.client, "config/application/p/c", "application");
		EtcdKeys.put(this.client, "config/payments/p/c", "payments");
		EtcdKeys.put(this.client, "config/application/p/d", "application");
		EtcdKeys.put(this.client, "config/payments,dev/p/d", "payments,dev");
		EtcdKeys.put(this.client, "config/payments,eu/p/d", "payments,eu");
		EtcdKeys.put(this.client, "config/payments/p/local", "etcd");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd,
				"--spring.application.name=payments", "--spring.profiles.active=dev,eu",
				"--spring.config.location=classpath:/config-test/")) {
			ConfigurableEnvironment environment = context.getEnvironment();
			assertThat(environment.getProperty("p.a")).isEqualTo("application");
			assertThat(environment.getProperty("p.b")).isEqualTo("application,dev");
			assertThat(environment.getProperty("p.c")).isEqualTo("payments");
			assertThat(environment.getProperty("p.d")).isEqualTo("payments,eu");
			assertThat(environment.getProperty("p.local")).isEqualTo("etcd");
			assertThat(etcdSourceNames(environment)).containsExactly("etcd:config/payments,eu",
					"etcd:config/payments,dev", "etcd:config/payments", "etcd:config/application,eu",
					"etcd:config/application,dev", "etcd:config/application");
		}
	}

	@Test
	void localConfigurationWinsWhenEtcdDoesNotOverrideIt() {
		EtcdKeys.put(this.client, "config/payments/p/local", "etcd");
		EtcdKeys.put(this.client, "config/payments/p/only-in-etcd", "etcd");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd,
				"--spring.application.name=payments", "--spring.config.location=classpath:/config-test/",
				"--etcd.config.override-local=false")) {
			assertThat(context.getEnvironment().getProperty("p.local")).isEqualTo("application.yaml");
			assertThat(context.getEnvironment().getProperty("p.only-in-etcd")).isEqualTo("etcd");
		}
	}

	@Test
	void etcdOverridesTheProfileVariantsOfTheFileThatImportsIt() {
		EtcdKeys.put(this.client, "config/application/p/local", "etcd");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, "--spring.config.import=",
				"--spring.config.location=classpath:/config-test-import/", "--spring.profiles.active=dev")) {
			assertThat(context.getEnvironment().getProperty("p.local")).isEqualTo("etcd");
			assertThat(context.getEnvironment().getProperty("p.dev-only")).isEqualTo("application-dev.yaml");
		}
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, "--spring.config.import=",
				"--spring.config.location=classpath:/config-test-import/", "--spring.profiles.active=dev",
				"--etcd.config.override-local=false")) {
			assertThat(context.getEnvironment().getProperty("p.local")).isEqualTo("application-dev.yaml");
		}
	}

	@Test
	void commandLineArgumentsWinOverEtcd() {
		EtcdKeys.put(this.client, "config/application/p/local", "etcd");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, "--p.local=command line")) {
			assertThat(context.getEnvironment().getProperty("p.local")).isEqualTo("command line");
		}
	}

	@Test
	void yamlDocumentsUnderTheDataKey() {
		EtcdKeys.put(this.client, "config/application/data", """
				sample:
				  message: from yaml
				  tags: [a, b]
				""");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, "--etcd.config.format=YAML")) {
			ConfigTestApplication.Settings settings = context.getBean(ConfigTestApplication.Settings.class);
			assertThat(settings.getMessage()).isEqualTo("from yaml");
			assertThat(settings.getTags()).containsExactly("a", "b");
		}
	}

	@Test
	void propertiesDocumentsUnderACustomDataKey() {
		EtcdKeys.put(this.client, "config/application/settings", "sample.message=from properties\nsample.limit=3\n");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd,
				"--etcd.config.format=PROPERTIES", "--etcd.config.data-key=settings")) {
			ConfigTestApplication.Settings settings = context.getBean(ConfigTestApplication.Settings.class);
			assertThat(settings.getMessage()).isEqualTo("from properties");
			assertThat(settings.getLimit()).isEqualTo(3);
		}
	}

	@Test
	void jsonDocuments() {
		EtcdKeys.put(this.client, "config/application/data",
				"{\"sample\": {\"message\": \"from json\", \"limit\": 4, \"tags\": [\"x\", \"y\"]}}");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, "--etcd.config.format=JSON")) {
			ConfigTestApplication.Settings settings = context.getBean(ConfigTestApplication.Settings.class);
			assertThat(settings.getMessage()).isEqualTo("from json");
			assertThat(settings.getLimit()).isEqualTo(4);
			assertThat(settings.getTags()).containsExactly("x", "y");
		}
	}

	@Test
	void filesAreParsedByTheirExtensionWithDashBeforeTheProfile() {
		EtcdKeys.put(this.client, "config/application.yaml", "p:\n  a: application.yaml\n  b: application.yaml\n");
		EtcdKeys.put(this.client, "config/payments.properties", "p.b=payments.properties\np.c=payments.properties\n");
		EtcdKeys.put(this.client, "config/payments-dev.json", "{\"p\": {\"c\": \"payments-dev.json\"}}");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, "--etcd.config.format=FILES",
				"--spring.application.name=payments", "--spring.profiles.active=dev")) {
			ConfigurableEnvironment environment = context.getEnvironment();
			assertThat(environment.getProperty("p.a")).isEqualTo("application.yaml");
			assertThat(environment.getProperty("p.b")).isEqualTo("payments.properties");
			assertThat(environment.getProperty("p.c")).isEqualTo("payments-dev.json");
		}
	}

	@Test
	void explicitContextsReplaceTheAutomaticOnesTheLaterWinning() {
		EtcdKeys.put(this.client, "config/shared/p/a", "shared");
		EtcdKeys.put(this.client, "config/shared/p/b", "shared");
		EtcdKeys.put(this.client, "config/payments/p/b", "payments");
		EtcdKeys.put(this.client, "config/application/p/c", "application");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd,
				"--spring.config.import=etcd:/config/shared;/config/payments")) {
			ConfigurableEnvironment environment = context.getEnvironment();
			assertThat(environment.getProperty("p.a")).isEqualTo("shared");
			assertThat(environment.getProperty("p.b")).isEqualTo("payments");
			assertThat(environment.getProperty("p.c")).isNull();
		}
	}

	@Test
	void theNamespaceIsolatesApplications() {
		EtcdKeys.put(this.client, "tenant-a/config/application/p/a", "tenant a");
		EtcdKeys.put(this.client, "tenant-b/config/application/p/a", "tenant b");
		EtcdKeys.put(this.client, "config/application/p/a", "no namespace");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, "--etcd.namespace=tenant-a")) {
			assertThat(context.getEnvironment().getProperty("p.a")).isEqualTo("tenant a");
		}
	}

	@Test
	void importAndBootstrapProduceTheSamePropertySources() {
		EtcdKeys.put(this.client, "config/application/p/a", "application");
		EtcdKeys.put(this.client, "config/payments/p/a", "payments");
		EtcdKeys.put(this.client, "config/payments,dev/p/b", "payments,dev");
		List<String> imported;
		List<String> bootstrapped;
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd,
				"--spring.application.name=payments", "--spring.profiles.active=dev")) {
			imported = etcdSources(context.getEnvironment());
		}
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd,
				"--spring.application.name=payments", "--spring.profiles.active=dev",
				"--spring.cloud.bootstrap.enabled=true")) {
			bootstrapped = etcdSources(context.getEnvironment());
			assertThat(context.getEnvironment().getProperty("p.a")).isEqualTo("payments");
		}
		assertThat(bootstrapped).isEqualTo(imported).hasSize(4);
	}

	static List<String> etcdSourceNames(ConfigurableEnvironment environment) {
		return EtcdPropertySources.find(environment.getPropertySources())
			.stream()
			.map(PropertySource::getName)
			.toList();
	}

	/**
	 * Each etcd source with its properties, highest precedence first.
	 */
	private static List<String> etcdSources(ConfigurableEnvironment environment) {
		return EtcdPropertySources.find(environment.getPropertySources())
			.stream()
			.map((source) -> source.getName() + "=" + source.getSource())
			.toList();
	}

}
