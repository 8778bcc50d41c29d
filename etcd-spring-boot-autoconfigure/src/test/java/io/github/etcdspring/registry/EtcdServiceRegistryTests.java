package io.github.etcdspring.registry;

import java.time.Duration;
import java.util.List;

import io.etcd.jetcd.Client;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.JsonServiceInstanceCodec;
import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.etcdspring.test.EtcdKeys.await;
import static io.github.etcdspring.test.EtcdKeys.bytes;
import static io.github.etcdspring.test.EtcdKeys.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class EtcdServiceRegistryTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client root = etcd.client();

	@Test
	void registersUnderTheDocumentedKeyWithAJsonValue() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=payments",
				"service.port=8080", "service.metadata.version=1.4.2", "service.weight=3")) {
			String value = get(this.root, "services/payments/127.0.0.1:8080");
			assertThat(value).isEqualTo("{\"id\":\"127.0.0.1:8080\",\"name\":\"payments\",\"host\":\"127.0.0.1\","
					+ "\"port\":8080,\"secure\":false,\"status\":\"UP\",\"weight\":3,\"metadata\":{\"version\":\"1.4.2\"}}");
			assertThat(leaseOf("services/payments/127.0.0.1:8080")).isNotZero();
		}
	}

	@Test
	void twoApplicationsFindEachOther() {
		try (ConfigurableApplicationContext first = RegistryTestApplication.start(etcd, "service.name=peers",
				"service.port=8001");
				ConfigurableApplicationContext second = RegistryTestApplication.start(etcd, "service.name=peers",
						"service.port=8002")) {
			for (ConfigurableApplicationContext app : List.of(first, second)) {
				DiscoveryClient discovery = app.getBean(DiscoveryClient.class);
				await().atMost(BOUND).until(() -> ports(discovery.getInstances("peers")).equals(List.of(8001, 8002)));
			}
			ServiceInstance instance = first.getBean(DiscoveryClient.class).getInstances("peers").get(0);
			assertThat(instance.getInstanceId()).isEqualTo("127.0.0.1:8001");
			assertThat(instance.getUri()).hasToString("http://127.0.0.1:8001");
			assertThat(instance.getMetadata()).containsEntry("weight", "1");
		}
	}

	@Test
	void closingTheApplicationRemovesItsKeyAtOnce() {
		ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=closing",
				"service.port=8003");
		assertThat(get(this.root, "services/closing/127.0.0.1:8003")).isNotNull();
		app.close();
		assertThat(get(this.root, "services/closing/127.0.0.1:8003")).isNull();
	}

	@Test
	void withoutDeregistrationTheKeyExpiresWithItsLease() {
		ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=lingering",
				"service.port=8004", "service.deregister=false");
		app.close();
		assertThat(get(this.root, "services/lingering/127.0.0.1:8004")).as("left in place at shutdown").isNotNull();
		await().atMost(BOUND).until(() -> get(this.root, "services/lingering/127.0.0.1:8004") == null);
	}

	@Test
	void registerFalseDiscoversWithoutRegistering() {
		try (ConfigurableApplicationContext provider = RegistryTestApplication.start(etcd, "service.name=provider",
				"service.port=8005");
				ConfigurableApplicationContext consumer = RegistryTestApplication.start(etcd, "service.name=consumer",
						"service.port=8006", "service.register=false")) {
			await().atMost(BOUND)
				.until(() -> consumer.getBean(DiscoveryClient.class).getInstances("provider").size() == 1);
			assertThat(consumer.getBean(DiscoveryClient.class).getServices()).doesNotContain("consumer");
			assertThat(get(this.root, "services/consumer/127.0.0.1:8006")).isNull();
		}
	}

	@Test
	void aKeyDeletedBySomeoneElseComesBackAndTheLossIsPublishedOnce() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=resilient",
				"service.port=8007")) {
			RegistryTestApplication.RegistrationEvents events = app
				.getBean(RegistryTestApplication.RegistrationEvents.class);
			await(this.root.getKVClient().delete(bytes("services/resilient/127.0.0.1:8007")));
			await().atMost(BOUND).until(() -> get(this.root, "services/resilient/127.0.0.1:8007") != null);
			await().atMost(BOUND).until(() -> events.restored.size() == 1);
			assertThat(events.lost).hasSize(1);
			assertThat(events.lost.get(0).getKeys()).containsExactly("services/resilient/127.0.0.1:8007");
			assertThat(events.lost.get(0).getReason()).contains("was deleted");
			assertThat(app.getBean(EtcdServiceRegistry.class).getState()).isEqualTo("REGISTERED");
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void statusIsStoredWithTheInstanceAndHidesItFromDiscovery() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=status",
				"service.port=8008")) {
			ServiceRegistry<EtcdRegistration> registry = app.getBean(ServiceRegistry.class);
			EtcdRegistration registration = app.getBean(EtcdRegistration.class);
			DiscoveryClient discovery = app.getBean(DiscoveryClient.class);
			await().atMost(BOUND).until(() -> discovery.getInstances("status").size() == 1);

			registry.setStatus(registration, "OUT_OF_SERVICE");
			assertThat(registry.<String>getStatus(registration)).isEqualTo("OUT_OF_SERVICE");
			assertThat(decode("status", "127.0.0.1:8008").getStatus()).isEqualTo("OUT_OF_SERVICE");
			await().atMost(BOUND).until(() -> discovery.getInstances("status").isEmpty());

			registry.setStatus(registration, "up");
			await().atMost(BOUND).until(() -> discovery.getInstances("status").size() == 1);
			assertThatExceptionOfType(InvalidRegistrationStatusException.class)
				.isThrownBy(() -> registry.setStatus(registration, "SLEEPING"))
				.withMessageContaining("'SLEEPING'")
				.withMessageContaining("[UP, DOWN, OUT_OF_SERVICE, STARTING]");
			assertThat(decode("status", "127.0.0.1:8008").getStatus()).isEqualTo("UP");
		}
	}

	@Test
	void aGrpcServerIsRegisteredAsAnInstanceOfItsOwn() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=hybrid",
				"service.port=8009", "service.grpc.port=9009", "service.metadata.team=blue")) {
			EtcdServiceInstance grpc = decode("hybrid-grpc", "127.0.0.1:9009");
			assertThat(grpc.getPort()).isEqualTo(9009);
			assertThat(grpc.getMetadata()).containsEntry("protocol", "grpc").containsEntry("team", "blue");
			assertThat(get(this.root, "services/hybrid/127.0.0.1:8009")).isNotNull();
			app.close();
			assertThat(get(this.root, "services/hybrid-grpc/127.0.0.1:9009")).isNull();
		}
	}

	@Test
	void theAddressCanBeChosenBySubnet() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=subnet",
				"service.port=8010", "service.host=", "service.service-use-subnet=127.0.0.0/8",
				"service.instance-id=subnet-1")) {
			assertThat(decode("subnet", "subnet-1").getHost()).startsWith("127.");
		}
	}

	@Test
	void customizersChangeTheRegistration() {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=custom",
				"service.port=8011", "spring.main.allow-bean-definition-overriding=true",
				"spring.main.sources=" + CustomizerConfiguration.class.getName())) {
			assertThat(decode("custom", "127.0.0.1:8011").getMetadata()).containsEntry("customized", "yes");
		}
	}

	private EtcdServiceInstance decode(String service, String instanceId) {
		String value = get(this.root, "services/" + service + "/" + instanceId);
		assertThat(value).as("services/" + service + "/" + instanceId).isNotNull();
		return new JsonServiceInstanceCodec().decode(service, instanceId, value.getBytes());
	}

	private long leaseOf(String key) {
		return await(this.root.getKVClient().get(bytes(key))).getKvs().get(0).getLease();
	}

	private static List<Integer> ports(List<ServiceInstance> instances) {
		return instances.stream().map(ServiceInstance::getPort).toList();
	}

	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		@org.springframework.context.annotation.Bean
		EtcdRegistrationCustomizer markingCustomizer() {
			return (registration) -> registration.getMetadata().put("customized", "yes");
		}

	}

}
