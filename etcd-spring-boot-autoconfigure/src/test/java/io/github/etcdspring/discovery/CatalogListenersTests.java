package io.github.etcdspring.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.etcdspring.discovery.EtcdServiceEvent.Type;
import io.github.etcdspring.format.EtcdServiceInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.ServiceInstance;

import static io.github.etcdspring.discovery.CatalogStorageTests.instance;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class CatalogListenersTests {

	private final CatalogStorage storage = new CatalogStorage(false, "services/");

	// runs the first delivery of a watch at once, as the discovery thread would after
	// what it is doing
	private final CatalogListeners listeners = new CatalogListeners(this.storage, Runnable::run);

	@Test
	void subscribersReceiveTheEventsOfTheirServiceOrOfAll() {
		List<EtcdServiceEvent> ofBilling = new ArrayList<>();
		List<EtcdServiceEvent> ofAll = new ArrayList<>();
		this.listeners.subscribe("billing", ofBilling::add);
		this.listeners.subscribe(null, ofAll::add);
		EtcdServiceEvent billing = new EtcdServiceEvent(Type.ADDED, instance("billing", "b1", "UP", 1), 2);
		EtcdServiceEvent payments = new EtcdServiceEvent(Type.ADDED, instance("payments", "p1", "UP", 1), 2);
		applyAndNotify(List.of(billing, payments), 2);
		assertThat(ofBilling).containsExactly(billing);
		assertThat(ofAll).containsExactly(billing, payments);
	}

	@Test
	void watchersReceiveTheInstancesNowWhenLoadedAndAfterEachChange() {
		List<List<ServiceInstance>> beforeLoad = new ArrayList<>();
		this.listeners.watch("billing", beforeLoad::add);
		assertThat(beforeLoad).as("nothing to tell before the first load").isEmpty();
		EtcdServiceInstance b1 = instance("billing", "b1", "UP", 1);
		applyAndNotify(List.of(new EtcdServiceEvent(Type.ADDED, b1, 2)), 2);
		assertThat(beforeLoad).containsExactly(List.of(b1));

		List<List<ServiceInstance>> afterLoad = new ArrayList<>();
		this.listeners.watch("billing", afterLoad::add);
		assertThat(afterLoad).containsExactly(List.of(b1));
		applyAndNotify(List.of(new EtcdServiceEvent(Type.REMOVED, b1, 3)), 3);
		assertThat(afterLoad).containsExactly(List.of(b1), List.of());

		List<List<ServiceInstance>> other = new ArrayList<>();
		this.listeners.watch("payments", other::add);
		applyAndNotify(List.of(new EtcdServiceEvent(Type.ADDED, b1, 4)), 4);
		assertThat(other).as("only the instances, empty, on subscribing").containsExactly(List.of());
	}

	@Test
	void aThrowingListenerIsLoggedAndTheOthersAreStillTold(CapturedOutput output) {
		List<EtcdServiceEvent> told = new ArrayList<>();
		List<List<ServiceInstance>> watched = new ArrayList<>();
		this.listeners.subscribe(null, (event) -> {
			throw new IllegalStateException("listener bug");
		});
		this.listeners.watch("billing", (instances) -> {
			throw new IllegalStateException("watcher bug");
		});
		this.listeners.subscribe(null, told::add);
		this.listeners.watch("billing", watched::add);
		EtcdServiceInstance b1 = instance("billing", "b1", "UP", 1);
		EtcdServiceEvent event = new EtcdServiceEvent(Type.ADDED, b1, 2);
		applyAndNotify(List.of(event), 2);
		assertThat(told).containsExactly(event);
		assertThat(watched).containsExactly(List.of(b1));
		assertThat(output).contains("A listener of the etcd service registry failed")
			.contains("listener bug")
			.contains("watcher bug");
	}

	@Test
	void aClosedSubscriptionIsNoLongerTold() {
		List<EtcdServiceEvent> told = new ArrayList<>();
		List<List<ServiceInstance>> watched = new ArrayList<>();
		Subscription subscription = this.listeners.subscribe("billing", told::add);
		Subscription watch = this.listeners.watch("billing", watched::add);
		subscription.close();
		watch.close();
		applyAndNotify(List.of(new EtcdServiceEvent(Type.ADDED, instance("billing", "b1", "UP", 1), 2)), 2);
		assertThat(told).isEmpty();
		assertThat(watched).isEmpty();
	}

	@Test
	void aWatchClosedBeforeItsFirstDeliveryGetsNone() {
		List<Runnable> discoveryThread = new ArrayList<>();
		CatalogListeners deferred = new CatalogListeners(this.storage, discoveryThread::add);
		this.storage.apply(List.of(), 1);
		List<List<ServiceInstance>> watched = new ArrayList<>();
		deferred.watch("billing", watched::add).close();
		discoveryThread.forEach(Runnable::run);
		assertThat(discoveryThread).hasSize(1);
		assertThat(watched).isEmpty();
	}

	private void applyAndNotify(List<EtcdServiceEvent> events, long revision) {
		Set<String> changed = this.storage.apply(events, revision);
		this.listeners.notify(events, changed);
	}

}
