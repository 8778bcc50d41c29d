package io.github.etcdspring.registry;

import io.etcd.jetcd.Client;
import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static io.github.etcdspring.test.EtcdKeys.get;
import static org.assertj.core.api.Assertions.assertThat;

class EtcdServiceRegistrySwitchesTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember();

	@Test
	void serviceRegistryDisabledCreatesNoRegistry() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=off1",
				"service.port=8501", "spring.cloud.service-registry.enabled=false")) {
			assertThat(app.getBeansOfType(EtcdServiceRegistry.class)).isEmpty();
			assertThat(app.containsBean("etcdServiceCatalog")).isTrue();
			assertThat(registered("services/off1/127.0.0.1:8501")).isFalse();
		}
	}

	@Test
	void autoRegistrationDisabledKeepsTheRegistryButRegistersNothing() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=off2",
				"service.port=8502", "spring.cloud.service-registry.auto-registration.enabled=false")) {
			assertThat(app.getBeansOfType(EtcdServiceRegistry.class)).hasSize(1);
			assertThat(app.getBeansOfType(EtcdAutoServiceRegistration.class)).isEmpty();
			assertThat(registered("services/off2/127.0.0.1:8502")).isFalse();
		}
	}

	@Test
	void discoveryDisabledNeitherDiscoversNorRegisters() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=off3",
				"service.port=8503", "spring.cloud.discovery.enabled=false")) {
			assertThat(app.containsBean("etcdServiceCatalog")).isFalse();
			assertThat(app.getBeansOfType(EtcdAutoServiceRegistration.class)).isEmpty();
			assertThat(registered("services/off3/127.0.0.1:8503")).isFalse();
		}
	}

	@Test
	void serviceDisabledTakesNoPartInTheRegistry() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=off4",
				"service.port=8504", "service.enabled=false")) {
			assertThat(app.getBeansOfType(EtcdServiceRegistry.class)).isEmpty();
			assertThat(registered("services/off4/127.0.0.1:8504")).isFalse();
		}
	}

	@Test
	void etcdDisabledCreatesNothingOfTheStarter() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=off5",
				"service.port=8505", "etcd.enabled=false")) {
			assertThat(app.getBeansOfType(Client.class)).isEmpty();
			assertThat(app.getBeansOfType(EtcdServiceRegistry.class)).isEmpty();
			assertThat(app.containsBean("etcdServiceCatalog")).isFalse();
		}
	}

	@Test
	void registrationHealthIndicatorCanBeDisabled() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=off6",
				"service.port=8506", "management.health.etcd-registration.enabled=false")) {
			assertThat(app.getBeansOfType(EtcdServiceRegistry.class)).hasSize(1);
			assertThat(app.getBeansOfType(EtcdServiceRegistryHealthIndicator.class)).isEmpty();
		}
	}

	private static boolean registered(String key) {
		return get(etcd.client(), key) != null;
	}

}
