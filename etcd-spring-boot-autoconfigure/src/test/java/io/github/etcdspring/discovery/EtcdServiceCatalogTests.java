package io.github.etcdspring.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.InstanceStatus;
import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;

import static io.github.etcdspring.discovery.CatalogFixture.instance;
import static io.github.etcdspring.discovery.CatalogFixture.putRaw;
import static io.github.etcdspring.discovery.CatalogFixture.register;
import static io.github.etcdspring.discovery.CatalogFixture.remove;
import static io.github.etcdspring.test.EtcdKeys.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class EtcdServiceCatalogTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client writer = etcd.client();

	@AutoClose
	private CatalogFixture fixture;

	@Test
	void loadsWhatIsRegisteredAndFollowsChanges() {
		register(this.writer, instance("payments", "a", 8080, "UP"));
		this.fixture = new CatalogFixture(etcd.newClient(), false, Duration.ofMillis(200)).start();
		EtcdServiceCatalog catalog = this.fixture.catalog;
		assertThat(ids(catalog.getInstances("payments"))).containsExactly("a");
		assertThat(catalog.getServices()).containsExactly("payments");

		register(this.writer, instance("payments", "b", 8081, "UP"));
		register(this.writer, instance("orders", "x", 9090, "UP"));
		await().atMost(BOUND).until(() -> ids(catalog.getInstances("payments")).equals(List.of("a", "b")));
		await().atMost(BOUND).until(() -> catalog.getServices().equals(List.of("orders", "payments")));

		remove(this.writer, "payments", "a");
		await().atMost(BOUND).until(() -> ids(catalog.getInstances("payments")).equals(List.of("b")));
		assertThat(catalog.getInstances("unknown")).isEmpty();
	}

	@Test
	void instancesOfAServiceShareOneServiceIdAndTheirEqualMetadataWhetherReadOrWatched() {
		register(this.writer, withMetadata("a", "zone-1"));
		register(this.writer, withMetadata("b", "zone-1"));
		this.fixture = new CatalogFixture(etcd.newClient(), false, Duration.ofMillis(200)).start();
		EtcdServiceCatalog catalog = this.fixture.catalog;
		register(this.writer, withMetadata("c", "zone-1"));
		register(this.writer, withMetadata("d", "zone-2"));
		await().atMost(BOUND).until(() -> catalog.getInstances("payments").size() == 4);

		List<ServiceInstance> instances = catalog.getInstances("payments");
		ServiceInstance a = instances.get(0);
		ServiceInstance c = instances.get(2);
		ServiceInstance d = instances.get(3);
		assertThat(instances).allSatisfy((instance) -> {
			assertThat(instance.getServiceId()).isSameAs(a.getServiceId());
			assertThat(((EtcdServiceInstance) instance).getStatus()).isSameAs(InstanceStatus.UP);
		});
		assertThat(instances.get(1).getMetadata()).isSameAs(a.getMetadata());
		assertThat(c.getMetadata()).isSameAs(a.getMetadata());
		assertThat(d.getMetadata().get("version")).isSameAs(a.getMetadata().get("version"));
		assertThat(a.getMetadata()).isEqualTo(Map.of("version", "1.4.2", "zone", "zone-1", "weight", "1",
				EtcdServiceInstance.FORMAT_METADATA_KEY, "native"));
		assertThat(d.getMetadata().get("zone")).isEqualTo("zone-2");
		assertThat(c.getInstanceId()).isEqualTo("c");
	}

	private static EtcdServiceInstance withMetadata(String id, String zone) {
		return new EtcdServiceInstance("payments", id, "127.0.0.1", 8080, false, "UP", 1,
				Map.of("version", "1.4.2", "zone", zone));
	}

	@Test
	void instancesThatAreNotUpAreHiddenUnlessIncluded() {
		register(this.writer, instance("payments", "up", 1, "UP"));
		register(this.writer, instance("payments", "out", 2, "OUT_OF_SERVICE"));
		register(this.writer, instance("payments", "down", 3, "DOWN"));
		register(this.writer, instance("payments", "starting", 4, "STARTING"));
		register(this.writer, instance("idle", "down", 5, "DOWN"));
		this.fixture = new CatalogFixture(etcd.newClient(), false, Duration.ofMillis(200)).start();
		assertThat(ids(this.fixture.catalog.getInstances("payments"))).containsExactly("up");
		assertThat(this.fixture.catalog.getServices()).containsExactly("payments");
		assertThat(this.fixture.catalog.getAllInstances("payments")).hasSize(4);
		try (CatalogFixture including = new CatalogFixture(etcd.newClient(), true, Duration.ofMillis(200)).start()) {
			assertThat(ids(including.catalog.getInstances("payments"))).containsExactly("down", "out", "starting",
					"up");
			assertThat(including.catalog.getServices()).containsExactly("idle", "payments");
		}
	}

	@Test
	void oneHeartbeatPerChangeCarryingItsRevision() {
		this.fixture = new CatalogFixture(etcd.newClient(), false, Duration.ofMillis(200)).start();
		List<Long> revisions = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			register(this.writer, instance("payments", "i" + i, 8000 + i, "UP"));
			revisions.add(currentRevision());
		}
		await().atMost(BOUND).until(() -> this.fixture.heartbeats.size() >= 5);
		// a rewrite of the same value changes nothing and publishes nothing
		register(this.writer, instance("payments", "i0", 8000, "UP"));
		remove(this.writer, "payments", "i1");
		revisions.add(currentRevision());
		await().atMost(BOUND).until(() -> this.fixture.heartbeats.size() >= 6);
		assertThat(this.fixture.heartbeats.stream().map(HeartbeatEvent::getValue)).containsExactlyElementsOf(revisions);
	}

	@Test
	void aTransactionOfFiftyInstancesIsOneHeartbeat() {
		this.fixture = new CatalogFixture(etcd.newClient(), false, Duration.ofMillis(200)).start();
		Op[] puts = new Op[50];
		for (int i = 0; i < puts.length; i++) {
			EtcdServiceInstance instance = instance("bulk", "i" + i, 9000 + i, "UP");
			puts[i] = Op.put(CatalogFixture.LAYOUT.instanceKey("bulk", "i" + i),
					ByteSequence.from(CatalogFixture.CODEC.encode(instance)), PutOption.DEFAULT);
		}
		await(this.writer.getKVClient().txn().Then(puts).commit());
		long transactionRevision = currentRevision();
		// a later change, whose heartbeat comes after any heartbeat of the transaction
		register(this.writer, instance("later", "x", 1, "UP"));
		await().atMost(BOUND).until(() -> this.fixture.heartbeats.size() >= 2);
		assertThat(this.fixture.catalog.getInstances("bulk")).hasSize(50);
		assertThat(this.fixture.heartbeats.stream().map(HeartbeatEvent::getValue)).containsExactly(transactionRevision,
				currentRevision());
	}

	@Test
	void listenersReceiveAddedModifiedAndRemovedPerService() {
		this.fixture = new CatalogFixture(etcd.newClient(), false, Duration.ofMillis(200)).start();
		List<String> paymentsEvents = new CopyOnWriteArrayList<>();
		List<String> allEvents = new CopyOnWriteArrayList<>();
		List<List<String>> watchedLists = new CopyOnWriteArrayList<>();
		Subscription payments = this.fixture.catalog.subscribe("payments",
				(event) -> paymentsEvents.add(event.type() + " " + event.instance().getInstanceId()));
		Subscription all = this.fixture.catalog.subscribe(null, (event) -> allEvents.add(event.serviceId()));
		Subscription watch = this.fixture.catalog.watch("payments", (instances) -> watchedLists.add(ids(instances)));
		List<String> stillSubscribed = new CopyOnWriteArrayList<>();
		this.fixture.catalog.subscribe(null, (event) -> stillSubscribed.add(event.instance().getInstanceId()));

		register(this.writer, instance("payments", "a", 1, "UP"));
		register(this.writer, instance("orders", "x", 2, "UP"));
		register(this.writer, instance("payments", "a", 1, "OUT_OF_SERVICE"));
		remove(this.writer, "payments", "a");
		await().atMost(BOUND)
			.until(() -> paymentsEvents.size() == 3 && allEvents.size() == 4 && watchedLists.size() == 4);
		assertThat(paymentsEvents).containsExactly("ADDED a", "MODIFIED a", "REMOVED a");
		assertThat(allEvents).containsExactly("payments", "orders", "payments", "payments");
		assertThat(watchedLists).containsExactly(List.of(), List.of("a"), List.of(), List.of());

		payments.close();
		all.close();
		watch.close();
		register(this.writer, instance("payments", "b", 3, "UP"));
		// the discovery thread tells listeners in revision order: once a later change
		// reached the listener still
		// subscribed, the closed ones would have had the change before it
		register(this.writer, instance("orders", "later", 4, "UP"));
		await().atMost(BOUND).until(() -> stillSubscribed.contains("later"));
		assertThat(stillSubscribed).containsSubsequence("b", "later");
		assertThat(paymentsEvents).hasSize(3);
		assertThat(allEvents).hasSize(4);
		assertThat(watchedLists).hasSize(4);
	}

	@Test
	void malformedValuesAreSkippedWithOneWarningNamingTheKey(CapturedOutput output) {
		putRaw(this.writer, "services/payments/broken", "{not json");
		register(this.writer, instance("payments", "good", 1, "UP"));
		this.fixture = new CatalogFixture(etcd.newClient(), false, Duration.ofMillis(200)).start();
		assertThat(ids(this.fixture.catalog.getInstances("payments"))).containsExactly("good");
		assertThat(output).contains("Skipping etcd key 'services/payments/broken'");

		putRaw(this.writer, "services/payments/other-broken", "{\"port\":1}");
		putRaw(this.writer, "services/no-instance-part", "{}");
		register(this.writer, instance("payments", "later", 2, "UP"));
		await().atMost(BOUND).until(() -> ids(this.fixture.catalog.getInstances("payments")).size() == 2);
		assertThat(output)
			.contains("Skipping etcd key 'services/payments/other-broken' of the service registry: 'host' is missing")
			.contains("Skipping etcd key 'services/no-instance-part'");

		// a good instance overwritten with garbage is gone, not kept stale
		putRaw(this.writer, "services/payments/good", "garbage");
		await().atMost(BOUND).until(() -> ids(this.fixture.catalog.getInstances("payments")).equals(List.of("later")));
		assertThat(output.toString().split("Skipping etcd key 'services/payments/broken'", -1)).hasSize(2);
	}

	private long currentRevision() {
		return await(this.writer.getKVClient().get(ByteSequence.from("x", java.nio.charset.StandardCharsets.UTF_8)))
			.getHeader()
			.getRevision();
	}

	static List<String> ids(List<? extends ServiceInstance> instances) {
		return instances.stream().map(ServiceInstance::getInstanceId).toList();
	}

	@Test
	void nullMetadataMissingHostAndNonObjectsAreSkippedWithAWarningNamingTheKey(CapturedOutput output) {
		register(this.writer, instance("billing", "good", 8080, "UP"));
		putRaw(this.writer, "services/billing/null-metadata",
				"{\"host\":\"h\",\"port\":1,\"metadata\":{\"zone\":null}}");
		this.fixture = new CatalogFixture(etcd.newClient(), false, Duration.ofMillis(200)).start();
		assertThat(ids(this.fixture.catalog.getInstances("billing"))).containsExactly("good");
		assertThat(output).contains(
				"Skipping etcd key 'services/billing/null-metadata' of the service registry: 'metadata' entry 'zone' is null");

		putRaw(this.writer, "services/billing/no-host", "{\"port\":1}");
		putRaw(this.writer, "services/billing/array", "[{\"host\":\"h\",\"port\":1}]");
		putRaw(this.writer, "services/billing/number", "42");
		register(this.writer, instance("billing", "later", 8081, "UP"));
		await().atMost(BOUND)
			.until(() -> ids(this.fixture.catalog.getInstances("billing")).equals(List.of("good", "later")));
		await().atMost(BOUND)
			.untilAsserted(() -> assertThat(output)
				.contains("Skipping etcd key 'services/billing/no-host' of the service registry: 'host' is missing")
				.contains("Skipping etcd key 'services/billing/array' of the service registry: the value is a JSON "
						+ "array, not an object")
				.contains("Skipping etcd key 'services/billing/number' of the service registry: the value is a JSON "
						+ "number, not an object"));
	}

}
