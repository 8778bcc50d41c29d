package io.github.etcdspring.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

import io.etcd.jetcd.Client;
import io.github.etcdspring.config.EtcdConfigProperties.RefreshMode;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Both {@code etcd.config.watch.refresh-mode}s give the same environment, beans and
 * {@code EnvironmentChangeEvent} keys: each scenario runs in each mode with the same
 * expectations, and ends by checking that a full reload by Spring Cloud's
 * {@link ContextRefresher} changes nothing more.
 */
@ExtendWith(OutputCaptureExtension.class)
class EtcdConfigRefreshModesTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final List<String> PROPERTIES = List.of("p.a", "p.b", "p.local", "p.cli", "p.new", "p.name",
			"p.limit", "p.only-in-etcd", "p.marker", "greeting.message", "sample.message", "sample.limit");

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client client = etcd.client();

	@ParameterizedTest
	@EnumSource(RefreshMode.class)
	void profileContextsApplicationYamlAndTheCommandLineKeepTheirPrecedenceAndDeletedKeysFallBack(RefreshMode mode) {
		EtcdKeys.put(this.client, "config/application/p/a", "application");
		EtcdKeys.put(this.client, "config/application,dev/p/a", "application,dev");
		EtcdKeys.put(this.client, "config/payments/p/b", "payments");
		EtcdKeys.put(this.client, "config/payments/p/local", "etcd");
		EtcdKeys.put(this.client, "config/application/p/cli", "etcd");
		try (ConfigurableApplicationContext context = start(mode, "--spring.application.name=payments",
				"--spring.profiles.active=dev", "--spring.config.location=classpath:/config-test/",
				"--p.cli=command line")) {
			Set<String> keys = environmentChangeKeys(context);
			// shadowed by the profile's context, then uncovered when that key is deleted
			EtcdKeys.put(this.client, "config/application/p/a", "application, changed");
			EtcdKeys.delete(this.client, "config/application,dev/p/a");
			EtcdKeys.put(this.client, "config/payments,dev/p/b", "payments,dev");
			// etcd overrides application.yaml until the key is deleted
			EtcdKeys.delete(this.client, "config/payments/p/local");
			EtcdKeys.put(this.client, "config/application/p/cli", "etcd, changed");
			EtcdKeys.put(this.client, "config/application/p/new", "new");
			awaitMarker(context);
			ConfigurableEnvironment environment = context.getEnvironment();
			await().atMost(TIMEOUT).untilAsserted(() -> {
				assertThat(environment.getProperty("p.a")).isEqualTo("application, changed");
				assertThat(environment.getProperty("p.b")).isEqualTo("payments,dev");
				assertThat(environment.getProperty("p.local")).isEqualTo("application.yaml");
				assertThat(environment.getProperty("p.cli")).isEqualTo("command line");
				assertThat(environment.getProperty("p.new")).isEqualTo("new");
				assertThat(keys).as("what ContextRefresher reports: the command line shadows p.cli")
					.contains("p.a", "p.b", "p.local", "p.new", "p.marker")
					.doesNotContain("p.cli");
			});
			assertAsAfterAFullReload(context);
		}
	}

	@ParameterizedTest
	@EnumSource(RefreshMode.class)
	void withoutOverridingLocalConfigurationEtcdOnlySuppliesWhatTheFilesLeaveOut(RefreshMode mode) {
		EtcdKeys.put(this.client, "config/payments/p/local", "etcd");
		EtcdKeys.put(this.client, "config/payments/p/only-in-etcd", "etcd");
		try (ConfigurableApplicationContext context = start(mode, "--spring.application.name=payments",
				"--spring.config.location=classpath:/config-test/", "--etcd.config.override-local=false")) {
			Set<String> keys = environmentChangeKeys(context);
			EtcdKeys.put(this.client, "config/payments/p/local", "etcd, changed");
			EtcdKeys.delete(this.client, "config/payments/p/only-in-etcd");
			awaitMarker(context);
			await().atMost(TIMEOUT).untilAsserted(() -> {
				assertThat(context.getEnvironment().getProperty("p.local")).isEqualTo("application.yaml");
				assertThat(context.getEnvironment().getProperty("p.only-in-etcd")).isNull();
				assertThat(keys).contains("p.only-in-etcd", "p.marker").doesNotContain("p.local");
			});
			assertAsAfterAFullReload(context);
		}
	}

	@ParameterizedTest
	@EnumSource(RefreshMode.class)
	void placeholdersElsewhereConfigurationPropertiesAndRefreshScopeBeansFollowEtcd(RefreshMode mode) {
		EtcdKeys.put(this.client, "config/application/p/name", "etcd");
		EtcdKeys.put(this.client, "config/application/p/limit", "1");
		EtcdKeys.put(this.client, "config/application/sample/message", "first");
		EtcdKeys.put(this.client, "config/application/sample/tags[0]", "a");
		EtcdKeys.put(this.client, "config/application/sample/tags[1]", "b");
		try (ConfigurableApplicationContext context = start(mode, "--greeting.message=Hello ${p.name}",
				"--sample.limit=${p.limit}")) {
			assertThat(greeting(context)).isEqualTo("Hello etcd");
			assertThat(settings(context).getLimit()).isEqualTo(1);
			Set<String> keys = environmentChangeKeys(context);
			EtcdKeys.put(this.client, "config/application/p/name", "etcd, changed");
			EtcdKeys.put(this.client, "config/application/p/limit", "2");
			EtcdKeys.put(this.client, "config/application/sample/message", "second");
			EtcdKeys.delete(this.client, "config/application/sample/tags[1]");
			awaitMarker(context);
			await().atMost(TIMEOUT).untilAsserted(() -> {
				assertThat(keys).contains("p.name", "p.limit", "sample.message", "sample.tags[1]", "p.marker");
				assertThat(greeting(context)).isEqualTo("Hello etcd, changed");
				assertThat(settings(context).getLimit()).isEqualTo(2);
				assertThat(settings(context).getMessage()).isEqualTo("second");
				assertThat(settings(context).getTags()).containsExactly("a");
			});
			assertAsAfterAFullReload(context);
		}
	}

	@ParameterizedTest
	@EnumSource(RefreshMode.class)
	void aMalformedDocumentKeepsTheLastGoodConfiguration(RefreshMode mode, CapturedOutput output) {
		EtcdKeys.put(this.client, "config/application/data", "greeting:\n  message: hello\n");
		try (ConfigurableApplicationContext context = start(mode, "--etcd.config.format=YAML")) {
			EtcdKeys.put(this.client, "config/application/data", "greeting:\n  message: changed\n");
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(greeting(context)).isEqualTo("changed"));
			EtcdKeys.put(this.client, "config/application/data", "greeting:\n  message: [broken\n");
			await().atMost(TIMEOUT)
				.until(() -> output.getOut().contains("Malformed configuration in etcd key 'config/application/data'"));
			assertThat(greeting(context)).isEqualTo("changed");
			assertThat(context.getEnvironment().getProperty("greeting.message")).isEqualTo("changed");
			assertThat(changes(context)).hasSize(1);
			EtcdKeys.put(this.client, "config/application/data", "greeting:\n  message: fixed\n");
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(greeting(context)).isEqualTo("fixed"));
			assertAsAfterAFullReload(context);
		}
	}

	private static ConfigurableApplicationContext start(RefreshMode mode, String... arguments) {
		String[] all = new String[arguments.length + 1];
		all[0] = "--etcd.config.watch.refresh-mode=" + mode.name().toLowerCase().replace('_', '-');
		System.arraycopy(arguments, 0, all, 1, arguments.length);
		return ConfigTestApplication.start(etcd, all);
	}

	/**
	 * Write a marker after the changes and wait until the environment has it: the read
	 * that brought it holds every change written before (the beans and events of that
	 * refresh may follow).
	 */
	private void awaitMarker(ConfigurableApplicationContext context) {
		String name = context.getEnvironment().getProperty("spring.application.name", "application");
		EtcdKeys.put(this.client, "config/" + name + "/p/marker", "done");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(context.getEnvironment().getProperty("p.marker")).isEqualTo("done"));
	}

	/**
	 * Spring Cloud's full reload of the configuration finds nothing more to change, in
	 * the environment or the beans.
	 */
	private static void assertAsAfterAFullReload(ConfigurableApplicationContext context) {
		Map<String, Object> refreshed = state(context);
		assertThat(context.getBean(ContextRefresher.class).refresh()).as("properties a full reload changes").isEmpty();
		assertThat(state(context)).isEqualTo(refreshed);
	}

	private static Map<String, Object> state(ConfigurableApplicationContext context) {
		Map<String, Object> state = new LinkedHashMap<>();
		PROPERTIES.forEach((name) -> state.put(name, String.valueOf(context.getEnvironment().getProperty(name))));
		state.put("etcd sources",
				EtcdPropertySources.find(context.getEnvironment().getPropertySources())
					.stream()
					.map((source) -> source.getName() + "=" + source.getSource())
					.toList());
		state.put("greeting bean", greeting(context));
		ConfigTestApplication.Settings settings = settings(context);
		state.put("settings bean",
				List.of(settings.getMessage(), settings.getLimit(), List.copyOf(settings.getTags())));
		return state;
	}

	private static Set<String> environmentChangeKeys(ConfigurableApplicationContext context) {
		Set<String> keys = new ConcurrentSkipListSet<>();
		context.addApplicationListener((ApplicationListener<EnvironmentChangeEvent>) (event) -> {
			if (event.getSource() == context) {
				keys.addAll(event.getKeys());
			}
		});
		return keys;
	}

	private static String greeting(ConfigurableApplicationContext context) {
		return context.getBean(ConfigTestApplication.Greeting.class).message();
	}

	private static ConfigTestApplication.Settings settings(ConfigurableApplicationContext context) {
		return context.getBean(ConfigTestApplication.Settings.class);
	}

	private static List<EtcdConfigChange> changes(ConfigurableApplicationContext context) {
		return context.getBean(ConfigTestApplication.ConfigChanges.class).changes;
	}

}
