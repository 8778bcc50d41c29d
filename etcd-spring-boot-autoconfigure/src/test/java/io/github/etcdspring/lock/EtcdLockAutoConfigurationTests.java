package io.github.etcdspring.lock;

import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.coordination.CoordinationEndpointPart;
import io.github.etcdspring.coordination.EtcdCoordinationAutoConfiguration;
import io.github.etcdspring.endpoint.EtcdEndpoint;
import io.github.etcdspring.endpoint.EtcdEndpointAutoConfiguration;
import io.github.etcdspring.test.EtcdCluster;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.integration.support.locks.DefaultLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which lock beans {@link EtcdLockAutoConfiguration} offers, and the properties it
 * refuses.
 */
class EtcdLockAutoConfigurationTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdCoordinationAutoConfiguration.class,
				EtcdLockAutoConfiguration.class))
		.withPropertyValues(etcd.springProperties());

	@Test
	void theLockRegistryIsAlsoSpringIntegrationsLockRegistry() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(EtcdLockRegistry.class);
			assertThat(context).getBean(LockRegistry.class).isInstanceOf(EtcdIntegrationLockRegistry.class);
		});
	}

	@Test
	void withoutSpringIntegrationOnlyTheLockRegistryIsOffered() {
		this.runner.withClassLoader(new FilteredClassLoader(LockRegistry.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(EtcdLockRegistry.class);
			assertThat(context).doesNotHaveBean(EtcdIntegrationLockRegistry.class);
		});
	}

	@Test
	void anApplicationsOwnSpringIntegrationLockRegistryIsKept() {
		this.runner.withBean(DefaultLockRegistry.class).run((context) -> {
			assertThat(context).hasSingleBean(EtcdLockRegistry.class);
			assertThat(context).getBean(LockRegistry.class).isInstanceOf(DefaultLockRegistry.class);
		});
	}

	@Test
	void theCoordinationPartAndItsLocksSectionComeWithTheEtcdEndpoint() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(CoordinationEndpointPart.class);
			assertThat(context).doesNotHaveBean(LocksEndpointSection.class);
		});
		this.runner.withConfiguration(AutoConfigurations.of(EtcdEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=etcd")
			.run((context) -> {
				assertThat(context).hasSingleBean(CoordinationEndpointPart.class);
				assertThat(context).hasSingleBean(LocksEndpointSection.class);
				assertThat(context.getBean(EtcdEndpoint.class).parts()).containsKey("coordination");
			});
	}

	@Test
	void theLockMetersComeWithMicrometer() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(LockMeterBinder.class));
		this.runner.withClassLoader(new FilteredClassLoader(MeterBinder.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(EtcdLockRegistry.class);
			assertThat(context).doesNotHaveBean(LockMeterBinder.class);
		});
	}

	@Test
	void disabledLocksOfferNoLockBean() {
		this.runner.withPropertyValues("etcd.lock.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(EtcdLockRegistry.class);
			assertThat(context).doesNotHaveBean(LockRegistry.class);
		});
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			etcd.coordination.session-ttl | 1s | etcd.coordination.session-ttl
			etcd.lock.prefix              | /  | etcd.lock.prefix
			etcd.lock.prefix              | '' | etcd.lock.prefix
			""")
	void invalidValueStopsTheStartupNamingTheProperty(String property, String value, String namedProperty) {
		assertThatThrownBy(() -> LockTestApplication.start(etcd, property + "=" + value).close())
			.hasStackTraceContaining(namedProperty);
	}

}
