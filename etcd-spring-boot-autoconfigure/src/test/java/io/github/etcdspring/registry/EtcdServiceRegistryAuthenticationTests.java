package io.github.etcdspring.registry;

import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EtcdServiceRegistryAuthenticationTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().withAuthentication();

	@Test
	void aUserLimitedToItsNamespaceRegistersThere() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=tenant",
				"service.port=8301", "etcd.username=" + EtcdCluster.USER, "etcd.password=" + EtcdCluster.USER_PASSWORD,
				"etcd.namespace=" + EtcdCluster.USER_PREFIX)) {
			assertThat(app.getBean(EtcdServiceRegistry.class).getState()).isEqualTo("REGISTERED");
		}
	}

	@Test
	void permissionDeniedOnTheRegistryPrefixStopsTheStartupNamingEndpointAndCause() {
		assertThatThrownBy(() -> RegistryTestApplication.start(etcd, "service.name=intruder", "service.port=8302",
				"etcd.username=" + EtcdCluster.USER, "etcd.password=" + EtcdCluster.USER_PASSWORD,
				"etcd.discovery.enabled=false"))
			.satisfies((ex) -> {
				EtcdRegistrationException failure = findCause(ex, EtcdRegistrationException.class);
				assertThat(failure.getFailure()).isEqualTo(EtcdFailure.PERMISSION_DENIED);
				assertThat(failure.getMessage()).contains(etcd.endpoints().get(0).toString())
					.contains("services/intruder/127.0.0.1:8302")
					.contains("etcd denied permission");
			});
	}

	private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		throw new AssertionError("No " + type.getSimpleName() + " in " + failure, failure);
	}

}
