package io.github.etcdspring.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdspring.test.EtcdCluster;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.etcdspring.test.EtcdKeys.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * {@code service.formats}: the application published in other formats under its one
 * lease, against real etcd.
 */
class EtcdServiceRegistryFormatsTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client root = etcd.client();

	@Test
	void anApplicationPublishedInNativeKitexAndGrpcNamingLeavesExactlyTheirKeysUnderOneLeaseAndRemovesThemOnShutdown() {
		ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=echo",
				"service.port=8080", "service.metadata.version=1.4.2", "service.weight=3",
				"service.formats=native,kitex,grpc-naming");
		Map<String, KeyValue> keys = everyKey();
		assertThat(values(keys)).containsExactlyInAnyOrderEntriesOf(Map.of("services/echo/127.0.0.1:8080",
				"{\"id\":\"127.0.0.1:8080\",\"name\":\"echo\",\"host\":\"127.0.0.1\",\"port\":8080,\"secure\":false,"
						+ "\"status\":\"UP\",\"weight\":3,\"metadata\":{\"version\":\"1.4.2\"}}",
				"kitex/registry-etcd/echo/127.0.0.1:8080",
				"{\"network\":\"tcp\",\"address\":\"127.0.0.1:8080\",\"weight\":3,\"tags\":{\"version\":\"1.4.2\"}}",
				"echo/127.0.0.1:8080", "{\"Op\":0,\"Addr\":\"127.0.0.1:8080\",\"Metadata\":{\"version\":\"1.4.2\"}}"));
		long lease = app.getBean(EtcdServiceRegistry.class).getLeaseId();
		assertThat(keys.values()).allSatisfy((kv) -> assertThat(kv.getLease()).isEqualTo(lease));
		assertThat(modRevisions(keys)).as("written in one transaction").hasSize(1);
		app.close();
		assertThat(everyKey()).isEmpty();
	}

	@Test
	void theGrpcRegistrationIsPublishedInTheSameFormats() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=orders",
				"service.port=8080", "service.grpc.port=9090", "service.formats=native,kitex,grpc-naming")) {
			Map<String, String> values = values(everyKey());
			assertThat(values).containsOnlyKeys("services/orders/127.0.0.1:8080",
					"kitex/registry-etcd/orders/127.0.0.1:8080", "orders/127.0.0.1:8080",
					"services/orders-grpc/127.0.0.1:9090", "kitex/registry-etcd/orders-grpc/127.0.0.1:9090",
					"orders-grpc/127.0.0.1:9090");
			assertThat(values).containsEntry("orders-grpc/127.0.0.1:9090",
					"{\"Op\":0,\"Addr\":\"127.0.0.1:9090\",\"Metadata\":{\"protocol\":\"grpc\"}}");
			assertThat(values).containsEntry("kitex/registry-etcd/orders/127.0.0.1:8080",
					"{\"network\":\"tcp\",\"address\":\"127.0.0.1:8080\",\"weight\":1,\"tags\":null}");
		}
		assertThat(everyKey()).isEmpty();
	}

	@Test
	void aLostLeaseBringsBackEveryKeyOfEveryFormatInOneTransaction() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=healing",
				"service.port=8080", "service.grpc.port=9090", "service.formats=native,kitex,grpc-naming")) {
			EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
			Map<String, String> before = values(everyKey());
			long revoked = registry.getLeaseId();
			await(this.root.getLeaseClient().revoke(revoked));
			await().atMost(BOUND).until(() -> everyKey().size() == before.size() && registry.isHealthy());
			Map<String, KeyValue> after = everyKey();
			assertThat(values(after)).isEqualTo(before);
			assertThat(registry.getLeaseId()).isNotEqualTo(revoked);
			assertThat(after.values()).allSatisfy((kv) -> assertThat(kv.getLease()).isEqualTo(registry.getLeaseId()));
			assertThat(modRevisions(after)).as("rewritten in one transaction").hasSize(1);
		}
	}

	@Test
	void afterEtcdRestartedWithoutDataEveryKeyOfEveryFormatComesBackInOneTransaction() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=wiped",
				"service.port=8080", "service.formats=native,kitex,go-core,go-zero")) {
			EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
			Map<String, KeyValue> before = everyKey();
			assertThat(before).hasSize(4);
			etcd.restartWithoutData();
			etcd.reconnect();
			await().atMost(BOUND)
				.until(() -> registry.isHealthy() && everyKey(etcd.client()).size() == 4
						&& everyKey(etcd.client()).containsKey("wiped/" + registry.getLeaseId()));
			Map<String, KeyValue> after = everyKey(etcd.client());
			assertThat(after).containsOnlyKeys("services/wiped/127.0.0.1:8080",
					"kitex/registry-etcd/wiped/127.0.0.1:8080", "/go-core/services/wiped/127.0.0.1:8080",
					"wiped/" + registry.getLeaseId());
			assertThat(after.values()).allSatisfy((kv) -> assertThat(kv.getLease()).isEqualTo(registry.getLeaseId()));
			assertThat(modRevisions(after)).as("rewritten in one transaction").hasSize(1);
		}
	}

	@Test
	void deregisteringTheServiceWhileTheGrpcRegistrationStaysDeletesItsKeyInEveryFormat() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=split",
				"service.port=8080", "service.grpc.port=9090", "service.formats=native,kitex,go-zero")) {
			EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
			long lease = registry.getLeaseId();
			assertThat(everyKey()).hasSize(6);
			registry.deregister(app.getBean(EtcdRegistration.class));
			assertThat(values(everyKey())).containsOnlyKeys("services/split-grpc/127.0.0.1:9090",
					"kitex/registry-etcd/split-grpc/127.0.0.1:9090", "split-grpc/" + lease);
			assertThat(registry.getLeaseId()).as("still the lease of the gRPC registration").isEqualTo(lease);
		}
		assertThat(everyKey()).isEmpty();
	}

	@Test
	void goZerosKeyIsNamedAfterTheLeaseAndAfterARestorationTheOldKeyGoesWithTheOldLease() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=user.rpc",
				"service.port=8080", "service.formats=native,go-zero")) {
			EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
			long first = registry.getLeaseId();
			assertThat(values(everyKey())).containsOnlyKeys("services/user.rpc/127.0.0.1:8080", "user.rpc/" + first)
				.containsEntry("user.rpc/" + first, "127.0.0.1:8080");
			await(this.root.getLeaseClient().revoke(first));
			await().atMost(BOUND)
				.until(() -> registry.isHealthy() && registry.getLeaseId() != first
						&& everyKey().containsKey("user.rpc/" + registry.getLeaseId()));
			Map<String, KeyValue> after = everyKey();
			assertThat(after).containsOnlyKeys("services/user.rpc/127.0.0.1:8080", "user.rpc/" + registry.getLeaseId());
			assertThat(modRevisions(after)).hasSize(1);
		}
		assertThat(everyKey()).isEmpty();
	}

	@Test
	void aStatusIsReflectedInGonesHealthAndTheFormatsWithoutHealthKeepTheirValue() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=gone-echo",
				"service.port=8080", "service.formats=native,gone,kitex")) {
			EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
			EtcdRegistration registration = app.getBean(EtcdRegistration.class);
			String goneKey = "gone-echo-127.0.0.1:8080";
			assertThat(gone(goneKey)).isEqualTo(
					"{\"name\":\"gone-echo\",\"ip\":\"127.0.0.1\",\"port\":8080,\"meta\":null,\"healthy\":true,\"weight\":1}");
			String kitex = values(everyKey()).get("kitex/registry-etcd/gone-echo/127.0.0.1:8080");
			registry.setStatus(registration, "OUT_OF_SERVICE");
			assertThat(gone(goneKey)).isEqualTo(
					"{\"name\":\"gone-echo\",\"ip\":\"127.0.0.1\",\"port\":8080,\"meta\":null,\"healthy\":false,\"weight\":1}");
			assertThat(values(everyKey())).containsEntry("kitex/registry-etcd/gone-echo/127.0.0.1:8080", kitex)
				.hasEntrySatisfying("services/gone-echo/127.0.0.1:8080",
						(value) -> assertThat(value).contains("\"status\":\"OUT_OF_SERVICE\""));
		}
	}

	@Test
	void formatsWhoseReadersWouldMisreadEachOtherAreRefusedAtStartup() {
		InvalidConfigurationPropertyValueException refusal = refusal(() -> RegistryTestApplication.start(etcd,
				"service.name=echo", "service.port=8080", "service.formats=native,go-zero,grpc-naming"));
		assertThat(refusal.getName()).isEqualTo("service.formats");
		assertThat(refusal.getMessage()).contains("that grpc-naming readers list for it");
		assertThat(everyKey()).isEmpty();
	}

	@Test
	void anUnknownFormatIsRefusedAtStartup() {
		InvalidConfigurationPropertyValueException refusal = refusal(() -> RegistryTestApplication.start(etcd,
				"service.name=echo", "service.port=8080", "service.formats=native,eureka"));
		assertThat(refusal.getName()).isEqualTo("service.formats");
		assertThat(refusal.getMessage()).contains("Unknown format 'eureka'");
	}

	private static InvalidConfigurationPropertyValueException refusal(ThrowingCallable startup) {
		Throwable failure = catchThrowable(startup);
		assertThat(failure).as("the startup failure").isNotNull();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidConfigurationPropertyValueException refusal) {
				return refusal;
			}
		}
		throw new AssertionError("Not refused with an InvalidConfigurationPropertyValueException", failure);
	}

	private String gone(String key) {
		String value = values(everyKey()).get(key);
		assertThat(value).as(key).isNotNull();
		return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
	}

	private Map<String, KeyValue> everyKey() {
		return everyKey(this.root);
	}

	private static Map<String, KeyValue> everyKey(Client client) {
		ByteSequence start = ByteSequence.from(new byte[] { 0 });
		List<KeyValue> kvs = await(client.getKVClient().get(start, GetOption.builder().withRange(start).build()))
			.getKvs();
		Map<String, KeyValue> keys = new TreeMap<>();
		kvs.forEach((kv) -> keys.put(kv.getKey().toString(StandardCharsets.UTF_8), kv));
		return keys;
	}

	private static Map<String, String> values(Map<String, KeyValue> keys) {
		Map<String, String> values = new TreeMap<>();
		keys.forEach((key, kv) -> values.put(key, kv.getValue().toString(StandardCharsets.UTF_8)));
		return values;
	}

	private static List<Long> modRevisions(Map<String, KeyValue> keys) {
		return keys.values().stream().map(KeyValue::getModRevision).distinct().toList();
	}

}
