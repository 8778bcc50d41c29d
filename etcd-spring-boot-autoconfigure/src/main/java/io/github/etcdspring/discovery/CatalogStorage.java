package io.github.etcdspring.discovery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.etcdspring.format.EtcdServiceInstance;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.ServiceInstance;

/**
 * The catalog's copy of the registry: the instances by service, the differences (ADDED,
 * MODIFIED, REMOVED) that a change or a full read makes to them, and the immutable
 * {@link Snapshot} that readers see.
 * <p>
 * Changes are made on one thread (the catalog's discovery thread); each {@link #apply}
 * publishes a new snapshot through a volatile field, so readers on any thread take no
 * lock and always see a consistent copy.
 *
 * @author etcd-spring-boot contributors
 */
final class CatalogStorage {

	private static final Comparator<EtcdServiceInstance> BY_INSTANCE_ID = Comparator
		.comparing(EtcdServiceInstance::getInstanceId)
		.thenComparing(CatalogStorage::formatOf);

	private final boolean includeUnavailableInstances;

	private final String registryName;

	// Confined to the thread making the changes. By service, then by format and instance
	// id: the same id in two formats, or one instance published in two formats, are two
	// entries that come and go on their own.
	private final Map<String, Map<InstanceRef, EtcdServiceInstance>> instancesByService = new HashMap<>();

	// Confined like the map above: how many instances each format holds.
	private final Map<String, Long> instancesByFormat = new HashMap<>();

	// Read by any thread.
	private volatile Snapshot snapshot = Snapshot.NOT_LOADED;

	/**
	 * @param includeUnavailableInstances whether readers see instances that are not UP
	 * @param registryName what the registry is, for the error of a read before the first
	 * load
	 */
	CatalogStorage(boolean includeUnavailableInstances, String registryName) {
		this.includeUnavailableInstances = includeUnavailableInstances;
		this.registryName = registryName;
	}

	// ---------------------------------------------------------------- reading (any
	// thread)

	List<ServiceInstance> getInstances(String serviceId) {
		ServiceEntry entry = loadedSnapshot().services().get(serviceId);
		return (entry != null) ? entry.visible() : List.of();
	}

	List<String> getServices() {
		return loadedSnapshot().visibleServiceIds();
	}

	List<EtcdServiceInstance> getAllInstances(String serviceId) {
		ServiceEntry entry = loadedSnapshot().services().get(serviceId);
		return (entry != null) ? entry.all() : List.of();
	}

	List<EtcdServiceInstance> getAllInstances() {
		return loadedSnapshot().services()
			.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.flatMap((entry) -> entry.getValue().all().stream())
			.toList();
	}

	long revision() {
		return this.snapshot.revision();
	}

	/**
	 * How many instances, whatever their status, each format holds.
	 * @return the counts by format name, without the formats that hold none
	 */
	Map<String, Long> instancesByFormat() {
		return this.snapshot.instancesByFormat();
	}

	boolean isLoaded() {
		return this.snapshot != Snapshot.NOT_LOADED;
	}

	private Snapshot loadedSnapshot() {
		Snapshot current = this.snapshot;
		if (current == Snapshot.NOT_LOADED) {
			throw new IllegalStateException(
					"The etcd service registry (" + this.registryName + ") has not been read yet");
		}
		return current;
	}

	// ---------------------------------------------------------------- changing (one
	// thread)

	/**
	 * The difference that one key's new value makes.
	 * @param ref the instance the key holds
	 * @param instance the instance the key now holds, or {@code null} when it was deleted
	 * or is unreadable
	 * @param revision the revision of the change
	 * @return the event, or {@code null} when the copy already holds this
	 */
	@Nullable EtcdServiceEvent changeOf(InstanceRef ref, @Nullable EtcdServiceInstance instance, long revision) {
		EtcdServiceInstance known = find(ref);
		if (instance == null) {
			return (known != null) ? new EtcdServiceEvent(EtcdServiceEvent.Type.REMOVED, known, revision) : null;
		}
		if (known == null) {
			return new EtcdServiceEvent(EtcdServiceEvent.Type.ADDED, instance, revision);
		}
		return (!known.equals(instance)) ? new EtcdServiceEvent(EtcdServiceEvent.Type.MODIFIED, instance, revision)
				: null;
	}

	/**
	 * The differences between the copy and a full read of the registry: the removals
	 * first, then the additions and modifications.
	 * @param read every readable instance of the registry (of two with the same service,
	 * format and instance id, the last)
	 * @param revision the revision read
	 * @return the events
	 */
	List<EtcdServiceEvent> differencesTo(Collection<EtcdServiceInstance> read, long revision) {
		Map<InstanceRef, EtcdServiceInstance> current = new HashMap<>();
		read.forEach((instance) -> current.put(InstanceRef.of(instance), instance));
		List<EtcdServiceEvent> events = new ArrayList<>();
		this.instancesByService.values()
			.stream()
			.flatMap((instances) -> instances.values().stream())
			.filter((known) -> !current.containsKey(InstanceRef.of(known)))
			.forEach((removed) -> events.add(new EtcdServiceEvent(EtcdServiceEvent.Type.REMOVED, removed, revision)));
		current.forEach((ref, instance) -> {
			EtcdServiceEvent event = changeOf(ref, instance, revision);
			if (event != null) {
				events.add(event);
			}
		});
		return events;
	}

	/**
	 * Apply events to the copy and publish the new snapshot.
	 * @param events the events, as {@link #changeOf} and {@link #differencesTo} make them
	 * @param revision the revision the copy then reflects
	 * @return the services that changed, in the order of the events
	 */
	Set<String> apply(List<EtcdServiceEvent> events, long revision) {
		Set<String> changedServices = new LinkedHashSet<>();
		for (EtcdServiceEvent event : events) {
			EtcdServiceInstance instance = event.instance();
			changedServices.add(instance.getServiceId());
			if (event.type() == EtcdServiceEvent.Type.REMOVED) {
				Map<InstanceRef, EtcdServiceInstance> instances = this.instancesByService.get(instance.getServiceId());
				if (instances.remove(InstanceRef.of(instance)) != null) {
					count(instance, -1);
				}
				if (instances.isEmpty()) {
					this.instancesByService.remove(instance.getServiceId());
				}
			}
			else if (this.instancesByService.computeIfAbsent(instance.getServiceId(), (id) -> new HashMap<>())
				.put(InstanceRef.of(instance), instance) == null) {
				count(instance, 1);
			}
		}
		publish(changedServices, revision);
		return changedServices;
	}

	private void count(EtcdServiceInstance instance, long delta) {
		this.instancesByFormat.merge(formatOf(instance), delta,
				(count, change) -> (count + change == 0) ? null : count + change);
	}

	private void publish(Set<String> changedServices, long revision) {
		Snapshot previous = this.snapshot;
		if (changedServices.isEmpty() && previous != Snapshot.NOT_LOADED) {
			this.snapshot = new Snapshot(revision, previous.services(), previous.visibleServiceIds(),
					previous.instancesByFormat());
			return;
		}
		Map<String, ServiceEntry> services = new HashMap<>(previous.services());
		for (String serviceId : changedServices) {
			Map<InstanceRef, EtcdServiceInstance> instances = this.instancesByService.get(serviceId);
			if (instances == null) {
				services.remove(serviceId);
			}
			else {
				services.put(serviceId, ServiceEntry.of(instances.values(), this.includeUnavailableInstances));
			}
		}
		List<String> visibleServiceIds = services.entrySet()
			.stream()
			.filter((entry) -> !entry.getValue().visible().isEmpty())
			.map(Map.Entry::getKey)
			.sorted()
			.toList();
		this.snapshot = new Snapshot(revision, Map.copyOf(services), visibleServiceIds,
				Map.copyOf(this.instancesByFormat));
	}

	private @Nullable EtcdServiceInstance find(InstanceRef ref) {
		Map<InstanceRef, EtcdServiceInstance> instances = this.instancesByService.get(ref.serviceId());
		return (instances != null) ? instances.get(ref) : null;
	}

	private static String formatOf(EtcdServiceInstance instance) {
		return instance.getMetadata().getOrDefault(EtcdServiceInstance.FORMAT_METADATA_KEY, "");
	}

	/**
	 * What identifies an instance in the copy.
	 *
	 * @param serviceId the service
	 * @param format the format it was read in
	 * ({@value EtcdServiceInstance#FORMAT_METADATA_KEY} metadata), empty when unknown
	 * @param instanceId the instance id within the format
	 */
	record InstanceRef(String serviceId, String format, String instanceId) {

		static InstanceRef of(EtcdServiceInstance instance) {
			return new InstanceRef(instance.getServiceId(), formatOf(instance), instance.getInstanceId());
		}

	}

	private record Snapshot(long revision, Map<String, ServiceEntry> services, List<String> visibleServiceIds,
			Map<String, Long> instancesByFormat) {

		static final Snapshot NOT_LOADED = new Snapshot(0, Map.of(), List.of(), Map.of());

	}

	private record ServiceEntry(List<EtcdServiceInstance> all, List<ServiceInstance> visible) {

		static ServiceEntry of(Iterable<EtcdServiceInstance> instances, boolean includeUnavailable) {
			List<EtcdServiceInstance> all = new ArrayList<>();
			instances.forEach(all::add);
			all.sort(BY_INSTANCE_ID);
			List<ServiceInstance> visible = all.stream()
				.filter((instance) -> includeUnavailable || instance.isUp())
				.map(ServiceInstance.class::cast)
				.toList();
			return new ServiceEntry(List.copyOf(all), visible);
		}

	}

}
