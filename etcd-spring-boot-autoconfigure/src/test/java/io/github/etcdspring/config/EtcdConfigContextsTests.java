package io.github.etcdspring.config;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which contexts an application reads.
 */
class EtcdConfigContextsTests {

	@Test
	void automaticContextsGoFromTheSharedToTheMostSpecific() {
		assertThat(paths(EtcdConfigContexts.automatic(new EtcdConfigProperties(), "payments", List.of("dev", "eu"))))
			.containsExactly("config/application", "config/application,dev", "config/application,eu", "config/payments",
					"config/payments,dev", "config/payments,eu");
	}

	@Test
	void theConfiguredNameWinsOverTheApplicationName() {
		EtcdConfigProperties properties = new EtcdConfigProperties();
		properties.setName("billing");
		properties.setPrefix("/settings/");
		properties.setDefaultContext("shared");
		properties.setProfileSeparator("::");
		assertThat(paths(EtcdConfigContexts.automatic(properties, "payments", List.of("dev")))).containsExactly(
				"/settings/shared", "/settings/shared::dev", "/settings/billing", "/settings/billing::dev");
	}

	@Test
	void withoutANameOnlyTheSharedContextsAreRead() {
		assertThat(paths(EtcdConfigContexts.automatic(new EtcdConfigProperties(), null, List.of())))
			.containsExactly("config/application");
	}

	@Test
	void filesUseADashBeforeTheProfileAndTryEveryExtension() {
		EtcdConfigProperties properties = new EtcdConfigProperties();
		properties.setFormat(EtcdConfigFormat.FILES);
		List<EtcdConfigContext> contexts = EtcdConfigContexts.automatic(properties, "payments", List.of("dev"));
		assertThat(paths(contexts)).containsExactly("config/application", "config/application-dev", "config/payments",
				"config/payments-dev");
		assertThat(contexts.get(3).documentKeys()).containsExactly("config/payments-dev.json",
				"config/payments-dev.yml", "config/payments-dev.yaml", "config/payments-dev.properties");
	}

	@Test
	void explicitContextsLoseOneLeadingSlashAndKeepTheirOrder() {
		assertThat(paths(EtcdConfigContexts.explicit("etcd:/config/shared;/config/payments/; ;//abs/keys",
				new EtcdConfigProperties())))
			.containsExactly("config/shared", "config/payments", "/abs/keys");
		assertThat(EtcdConfigContexts.explicit("etcd:", new EtcdConfigProperties())).isEmpty();
	}

	@Test
	void aContextContainsTheKeysItIsReadFrom() {
		EtcdConfigContext keyValue = new EtcdConfigContext("config/app", EtcdConfigFormat.KEY_VALUE, "data");
		assertThat(keyValue.contains("config/app/server/port")).isTrue();
		assertThat(keyValue.contains("config/app,dev/server/port")).isFalse();
		EtcdConfigContext yaml = new EtcdConfigContext("config/app", EtcdConfigFormat.YAML, "data");
		assertThat(yaml.contains("config/app/data")).isTrue();
		assertThat(yaml.contains("config/app/other")).isFalse();
		EtcdConfigContext file = new EtcdConfigContext("config/app.yaml", EtcdConfigFormat.FILES, "data");
		assertThat(file.documentKeys()).containsExactly("config/app.yaml");
	}

	@Test
	void oneWatchCoversAllContexts() {
		List<EtcdConfigContext> contexts = EtcdConfigContexts.automatic(new EtcdConfigProperties(), "payments",
				List.of("dev"));
		assertThat(ConfigWatchRanges.commonPrefix(contexts)).isEqualTo("config/");
	}

	private static List<String> paths(List<EtcdConfigContext> contexts) {
		return contexts.stream().map(EtcdConfigContext::path).toList();
	}

}
