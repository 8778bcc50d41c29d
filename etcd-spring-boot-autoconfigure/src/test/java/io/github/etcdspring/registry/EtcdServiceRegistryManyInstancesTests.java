package io.github.etcdspring.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.github.etcdspring.format.JsonServiceInstanceCodec;
import io.github.etcdspring.format.NativeKeyLayout;
import io.github.etcdspring.format.RegistryFormat;
import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.etcdspring.test.EtcdKeys.await;
import static io.github.etcdspring.test.EtcdKeys.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One {@link EtcdServiceRegistry} registering many instances of a service, as a sidecar
 * would, against real etcd: the instances share one deletion watch, and what it finds.
 */
class EtcdServiceRegistryManyInstancesTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private static final int INSTANCES = 10;

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client root = etcd.client();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private final List<EtcdRegistration> registrations = new ArrayList<>();

	private EtcdServiceRegistry registry;

	@BeforeEach
	void registerTheInstances() {
		this.registry = new EtcdServiceRegistry(this.root,
				Map.of("native", RegistryFormat.of(new NativeKeyLayout("services"), new JsonServiceInstanceCodec())),
				List.of("native"), new EtcdServiceRegistry.Settings(List.of(etcd.endpoints().get(0).toString()),
						Duration.ofSeconds(10), Duration.ofSeconds(5), true, new EtcdServiceProperties.Retry()),
				this.events::add);
		for (int i = 0; i < INSTANCES; i++) {
			EtcdRegistration registration = new EtcdRegistration("many", "127.0.0.1");
			registration.setPort(9000 + i);
			registration.setInstanceId("127.0.0.1:" + (9000 + i));
			this.registry.register(registration);
			this.registrations.add(registration);
		}
	}

	@AfterEach
	void close() {
		this.registry.close();
	}

	@Test
	void anInstanceDeletedBySomeoneElseComesBackWhileADeregisteredOneStaysGone() {
		this.registry.deregister(this.registrations.get(0));
		await(this.root.getKVClient().delete(bytes("services/many/127.0.0.1:9005")));
		await().atMost(BOUND)
			.until(() -> this.events.stream().anyMatch(EtcdRegistrationRestoredEvent.class::isInstance));
		List<EtcdRegistrationLostEvent> lost = this.events.stream()
			.filter(EtcdRegistrationLostEvent.class::isInstance)
			.map(EtcdRegistrationLostEvent.class::cast)
			.toList();
		assertThat(lost).hasSize(1);
		assertThat(lost.get(0).getReason()).contains("services/many/127.0.0.1:9005 was deleted");
		assertThat(keys()).hasSize(INSTANCES - 1)
			.contains("services/many/127.0.0.1:9005")
			.doesNotContain("services/many/127.0.0.1:9000");
		assertThat(this.registry.getState()).isEqualTo("REGISTERED");
	}

	@Test
	void deregisteringLeavesAKeyAnotherLeaseTookOverSinceItWasWritten() {
		long otherLease = await(this.root.getLeaseClient().grant(30)).getID();
		await(this.root.getKVClient()
			.put(bytes("services/many/127.0.0.1:9003"), bytes("{}"),
					PutOption.builder().withLeaseId(otherLease).build()));
		this.registry.deregister(this.registrations.get(3));
		this.registry.deregister(this.registrations.get(4));
		List<KeyValue> found = await(
				this.root.getKVClient().get(bytes("services/many/127.0.0.1:9003"), GetOption.DEFAULT))
			.getKvs();
		assertThat(found).singleElement()
			.satisfies((keyValue) -> assertThat(keyValue.getLease()).isEqualTo(otherLease));
		assertThat(keys()).hasSize(INSTANCES - 1).doesNotContain("services/many/127.0.0.1:9004");
	}

	private List<String> keys() {
		return await(this.root.getKVClient()
			.get(bytes("services/many/"), GetOption.builder().isPrefix(true).withKeysOnly(true).build())).getKvs()
			.stream()
			.map((keyValue) -> keyValue.getKey().toString())
			.toList();
	}

}
