package io.github.etcdspring.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.LeaseOption;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.InstanceStatus;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static io.github.etcdspring.test.EtcdKeys.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Instances registered with a lease of their own through
 * {@link EtcdServiceRegistry#register(EtcdServiceInstance, List, Duration)}, against real
 * etcd.
 */
class EtcdLeasedRegistrationTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private static final String NATIVE_KEY = "services/sidecar/sidecar-1";

	private static final String GO_CORE_KEY = "/go-core/services/sidecar/sidecar-1";

	private static final EtcdServiceInstance SIDECAR = new EtcdServiceInstance("sidecar", "sidecar-1", "127.0.0.1",
			7000, false, InstanceStatus.UP, 1, Map.of("version", "2"));

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client root = etcd.client();

	@Test
	void anInstanceIsWrittenInItsFormatsUnderItsOwnLeaseAndTtlAndDeregisteringRemovesItOnce() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=main",
				"service.port=8080")) {
			EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
			EtcdLeasedRegistration sidecar = registry.register(SIDECAR, List.of("native", "go-core"),
					Duration.ofSeconds(7));
			assertThat(sidecar.instance()).isEqualTo(SIDECAR);
			assertThat(sidecar.isRegistered()).isTrue();
			long lease = sidecar.leaseId();
			assertThat(lease).isNotZero().isNotEqualTo(registry.getLeaseId());
			assertThat(kv(GO_CORE_KEY).getValue().toString(StandardCharsets.UTF_8)).isEqualTo(
					"{\"id\":\"sidecar-1\",\"name\":\"sidecar\",\"address\":\"127.0.0.1:7000\",\"metadata\":{\"version\":\"2\"}}");
			assertThat(kv(NATIVE_KEY).getLease()).isEqualTo(lease);
			assertThat(kv(GO_CORE_KEY).getLease()).isEqualTo(lease);
			assertThat(kv(GO_CORE_KEY).getModRevision()).isEqualTo(kv(NATIVE_KEY).getModRevision());
			assertThat(await(this.root.getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT)).getGrantedTTL())
				.isEqualTo(7);
			sidecar.deregister();
			assertThat(kv(NATIVE_KEY)).isNull();
			assertThat(kv(GO_CORE_KEY)).isNull();
			assertThat(await(this.root.getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT)).getTTL()).as("revoked")
				.isEqualTo(-1);
			assertThat(sidecar.leaseId()).isZero();
			sidecar.deregister();
			sidecar.close();
			assertThat(EtcdKeys.get(this.root, "services/main/127.0.0.1:8080")).as("the application's own key")
				.isNotNull();
		}
	}

	@Test
	void aLostLeaseIsReplacedAndEveryKeyWrittenAgainInOneTransaction() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=main",
				"service.port=8080")) {
			EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
			try (EtcdLeasedRegistration sidecar = registry.register(SIDECAR, List.of("native", "go-core", "go-zero"),
					Duration.ofSeconds(3))) {
				long first = sidecar.leaseId();
				assertThat(kv("sidecar/" + first).getValue().toString(StandardCharsets.UTF_8))
					.isEqualTo("127.0.0.1:7000");
				await(this.root.getLeaseClient().revoke(first));
				await().atMost(BOUND)
					.until(() -> sidecar.isRegistered() && sidecar.leaseId() != first
							&& kv("sidecar/" + sidecar.leaseId()) != null);
				long second = sidecar.leaseId();
				assertThat(kv("sidecar/" + first)).isNull();
				assertThat(List.of(kv(NATIVE_KEY), kv(GO_CORE_KEY), kv("sidecar/" + second)))
					.allSatisfy((kv) -> assertThat(kv.getLease()).isEqualTo(second))
					.extracting(KeyValue::getModRevision)
					.containsOnly(kv(NATIVE_KEY).getModRevision());
				assertThat(kv("services/main/127.0.0.1:8080").getLease()).isEqualTo(registry.getLeaseId());
			}
			assertThat(kv(NATIVE_KEY)).isNull();
		}
	}

	@Test
	void closingTheApplicationDeregistersTheInstancesItRegistered() {
		ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=main",
				"service.port=8080");
		EtcdLeasedRegistration sidecar = app.getBean(EtcdServiceRegistry.class)
			.register(SIDECAR, List.of("native"), Duration.ofSeconds(30));
		app.close();
		assertThat(kv(NATIVE_KEY)).isNull();
		assertThat(sidecar.isRegistered()).isFalse();
	}

	@Test
	void aKeyHeldByAnotherLeaseIsNotTakenOverAndNothingIsLeftBehind() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=main",
				"service.port=8080")) {
			EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
			EtcdLeasedRegistration first = registry.register(SIDECAR, List.of("native"), Duration.ofSeconds(30));
			assertThatExceptionOfType(EtcdRegistrationException.class)
				.isThrownBy(() -> registry.register(SIDECAR, List.of("go-core", "native"), Duration.ofSeconds(30)));
			assertThat(kv(GO_CORE_KEY)).isNull();
			assertThat(kv(NATIVE_KEY).getLease()).isEqualTo(first.leaseId());
		}
	}

	@Test
	void unknownFormatsMisreadCombinationsAndShortTtlsAreRefused() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=main",
				"service.port=8080")) {
			EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
			assertThatIllegalArgumentException()
				.isThrownBy(() -> registry.register(SIDECAR, List.of("eureka"), Duration.ofSeconds(5)))
				.withMessageStartingWith("Unknown format 'eureka'");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> registry.register(SIDECAR, List.of("go-zero", "grpc-naming"), Duration.ofSeconds(5)))
				.withMessageContaining("readers list for it");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> registry.register(SIDECAR, List.of("native"), Duration.ofMillis(500)))
				.withMessage("The TTL must be at least 1s: PT0.5S");
		}
	}

	private KeyValue kv(String key) {
		List<KeyValue> kvs = await(this.root.getKVClient().get(EtcdKeys.bytes(key))).getKvs();
		return kvs.isEmpty() ? null : kvs.get(0);
	}

}
