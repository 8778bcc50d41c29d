package io.github.etcdspring.discovery;

import java.util.List;
import java.util.Map;

import io.github.etcdspring.discovery.EtcdServiceEvent.Type;
import io.github.etcdspring.format.EtcdServiceInstance;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.ServiceInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class CatalogStorageTests {

	private final CatalogStorage storage = new CatalogStorage(false, "services/");

	@Test
	void readsFailUntilTheFirstLoad() {
		assertThat(this.storage.isLoaded()).isFalse();
		assertThat(this.storage.revision()).isZero();
		assertThatIllegalStateException().isThrownBy(this.storage::getServices)
			.withMessage("The etcd service registry (services/) has not been read yet");
		this.storage.apply(List.of(), 7);
		assertThat(this.storage.isLoaded()).isTrue();
		assertThat(this.storage.revision()).isEqualTo(7);
		assertThat(this.storage.getServices()).isEmpty();
		assertThat(this.storage.getInstances("billing")).isEmpty();
	}

	@Test
	void addModifyAndRemoveAnInstance() {
		EtcdServiceInstance added = instance("billing", "b1", "UP", 8080);
		EtcdServiceEvent addition = this.storage.changeOf(ref("billing", "b1"), added, 2);
		assertThat(addition).isEqualTo(new EtcdServiceEvent(Type.ADDED, added, 2));
		assertThat(this.storage.apply(List.of(addition), 2)).containsExactly("billing");
		assertThat(this.storage.getInstances("billing")).containsExactly(added);

		EtcdServiceInstance modified = instance("billing", "b1", "UP", 9090);
		EtcdServiceEvent modification = this.storage.changeOf(ref("billing", "b1"), modified, 3);
		assertThat(modification).isEqualTo(new EtcdServiceEvent(Type.MODIFIED, modified, 3));
		this.storage.apply(List.of(modification), 3);
		assertThat(this.storage.getAllInstances("billing")).containsExactly(modified);

		EtcdServiceEvent removal = this.storage.changeOf(ref("billing", "b1"), null, 4);
		assertThat(removal).as("the instance as it was").isEqualTo(new EtcdServiceEvent(Type.REMOVED, modified, 4));
		assertThat(this.storage.apply(List.of(removal), 4)).containsExactly("billing");
		assertThat(this.storage.getServices()).isEmpty();
		assertThat(this.storage.getAllInstances()).isEmpty();
		assertThat(this.storage.revision()).isEqualTo(4);
	}

	@Test
	void rewritingTheSameValueOrDeletingAnUnknownKeyChangesNothing() {
		EtcdServiceInstance instance = instance("billing", "b1", "UP", 8080);
		this.storage.apply(List.of(this.storage.changeOf(ref("billing", "b1"), instance, 2)), 2);
		assertThat(this.storage.changeOf(ref("billing", "b1"), instance("billing", "b1", "UP", 8080), 3)).isNull();
		assertThat(this.storage.changeOf(ref("billing", "unknown"), null, 3)).isNull();
		assertThat(this.storage.apply(List.of(), 3)).isEmpty();
		assertThat(this.storage.revision()).isEqualTo(3);
		assertThat(this.storage.getInstances("billing")).containsExactly(instance);
	}

	@Test
	void readersSeeUpInstancesSortedAndServicesWithOne() {
		EtcdServiceInstance b2 = instance("billing", "b2", "UP", 1);
		EtcdServiceInstance b1 = instance("billing", "b1", "UP", 1);
		EtcdServiceInstance down = instance("billing", "b3", "DOWN", 1);
		EtcdServiceInstance onlyDown = instance("audit", "a1", "DOWN", 1);
		EtcdServiceInstance p1 = instance("payments", "p1", "UP", 1);
		this.storage.apply(this.storage.differencesTo(List.of(b2, p1, down, onlyDown, b1), 5), 5);
		assertThat(this.storage.getInstances("billing")).containsExactly(b1, b2);
		assertThat(this.storage.getAllInstances("billing")).containsExactly(b1, b2, down);
		assertThat(this.storage.getServices()).containsExactly("billing", "payments");
		assertThat(this.storage.getAllInstances()).containsExactly(onlyDown, b1, b2, down, p1);

		CatalogStorage withUnavailable = new CatalogStorage(true, "services/");
		withUnavailable.apply(withUnavailable.differencesTo(List.of(down, onlyDown), 5), 5);
		assertThat(withUnavailable.getServices()).containsExactly("audit", "billing");
		assertThat(withUnavailable.getInstances("audit")).containsExactly(onlyDown);
	}

	@Test
	void aReloadYieldsTheRemovalsThenTheAdditionsAndModifications() {
		EtcdServiceInstance kept = instance("billing", "b1", "UP", 1);
		EtcdServiceInstance changed = instance("billing", "b2", "UP", 1);
		EtcdServiceInstance gone = instance("payments", "p1", "UP", 1);
		this.storage.apply(this.storage.differencesTo(List.of(kept, changed, gone), 5), 5);

		EtcdServiceInstance changedNow = instance("billing", "b2", "DOWN", 1);
		EtcdServiceInstance newcomer = instance("audit", "a1", "UP", 1);
		List<EtcdServiceEvent> events = this.storage
			.differencesTo(List.of(instance("billing", "b1", "UP", 1), changedNow, newcomer), 9);
		assertThat(events.get(0)).isEqualTo(new EtcdServiceEvent(Type.REMOVED, gone, 9));
		assertThat(events).hasSize(3)
			.contains(new EtcdServiceEvent(Type.MODIFIED, changedNow, 9),
					new EtcdServiceEvent(Type.ADDED, newcomer, 9));
		assertThat(this.storage.apply(events, 9)).containsExactlyInAnyOrder("payments", "billing", "audit");
		assertThat(this.storage.getServices()).containsExactly("audit", "billing");
		assertThat(this.storage.getInstances("billing")).containsExactly(kept);
	}

	@Test
	void aPublishedSnapshotIsNotChangedByLaterChanges() {
		EtcdServiceInstance b1 = instance("billing", "b1", "UP", 1);
		this.storage.apply(List.of(this.storage.changeOf(ref("billing", "b1"), b1, 2)), 2);
		List<ServiceInstance> before = this.storage.getInstances("billing");
		List<String> servicesBefore = this.storage.getServices();
		EtcdServiceInstance b2 = instance("billing", "b2", "UP", 1);
		this.storage.apply(List.of(this.storage.changeOf(ref("billing", "b2"), b2, 3)), 3);
		assertThat(before).containsExactly(b1);
		assertThat(servicesBefore).containsExactly("billing");
		assertThat(this.storage.getInstances("billing")).containsExactly(b1, b2);
	}

	@Test
	void theSameInstanceIdInTwoFormatsIsTwoInstancesThatComeAndGoOnTheirOwn() {
		EtcdServiceInstance nativeOne = instance("echo", "10.0.0.5:8080", "UP", 8080);
		EtcdServiceInstance kitexOne = new EtcdServiceInstance("echo", "10.0.0.5:8080", "10.0.0.5", 8080, false, "UP",
				10, Map.of(EtcdServiceInstance.FORMAT_METADATA_KEY, "kitex"));
		this.storage.apply(this.storage.differencesTo(List.of(nativeOne, kitexOne), 2), 2);
		assertThat(this.storage.getInstances("echo")).containsExactly(nativeOne, kitexOne);

		EtcdServiceEvent removal = this.storage
			.changeOf(new CatalogStorage.InstanceRef("echo", "kitex", "10.0.0.5:8080"), null, 3);
		assertThat(removal).isEqualTo(new EtcdServiceEvent(Type.REMOVED, kitexOne, 3));
		this.storage.apply(List.of(removal), 3);
		assertThat(this.storage.getInstances("echo")).containsExactly(nativeOne);
	}

	private static CatalogStorage.InstanceRef ref(String serviceId, String instanceId) {
		return new CatalogStorage.InstanceRef(serviceId, "", instanceId);
	}

	static EtcdServiceInstance instance(String serviceId, String instanceId, String status, int port) {
		return new EtcdServiceInstance(serviceId, instanceId, "127.0.0.1", port, false, status, 1, Map.of());
	}

}
