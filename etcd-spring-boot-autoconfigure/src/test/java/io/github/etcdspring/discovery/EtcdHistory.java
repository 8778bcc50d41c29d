package io.github.etcdspring.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.RegistryKeyLayout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * etcd's own history of the registry, recorded by a raw jetcd watch of its own, and the
 * check that the events a catalog emitted follow it revision by revision.
 */
final class EtcdHistory implements AutoCloseable {

	private final List<WatchEvent> events = new CopyOnWriteArrayList<>();

	private final Watch.Watcher watcher;

	/**
	 * Record every change of the registry from a revision.
	 * @param client the client, closed by the caller after this history
	 * @param fromRevision the first revision
	 */
	EtcdHistory(Client client, long fromRevision) {
		this.watcher = client.getWatchClient()
			.watch(CatalogFixture.LAYOUT.registryPrefix(),
					WatchOption.builder().isPrefix(true).withRevision(fromRevision).build(),
					(response) -> this.events.addAll(response.getEvents()));
	}

	boolean contains(long revision) {
		return this.events.stream().anyMatch((event) -> event.getKeyValue().getModRevision() == revision);
	}

	/**
	 * Replay what the catalog emitted against this history, starting from the same state.
	 * Each revision the catalog emitted events for must leave its copy equal to etcd's
	 * state at that revision; each event must change the copy (an event applied twice
	 * does not); and no revision of etcd that changed an instance may be missing, unless
	 * the catalog read the registry again instead of watching it.
	 * @param emitted the catalog's events, in the order emitted
	 * @param copy the catalog's copy before the first event, updated in place
	 * @param reloadMayCollapse whether the batch at the first revision may stand for the
	 * changes of the second, which the catalog did not see one by one
	 */
	void assertFollowedBy(List<EtcdServiceEvent> emitted, Map<String, EtcdServiceInstance> copy,
			BiPredicate<Long, Long> reloadMayCollapse) {
		TreeMap<Long, List<WatchEvent>> history = new TreeMap<>();
		this.events.forEach((event) -> history
			.computeIfAbsent(event.getKeyValue().getModRevision(), (revision) -> new ArrayList<>())
			.add(event));
		TreeMap<Long, List<EtcdServiceEvent>> batches = new TreeMap<>();
		long previous = 0;
		for (EtcdServiceEvent event : emitted) {
			assertThat(event.revision()).as("revisions of the catalog's events go forward")
				.isGreaterThanOrEqualTo(previous);
			previous = event.revision();
			batches.computeIfAbsent(event.revision(), (revision) -> new ArrayList<>()).add(event);
		}
		Map<String, EtcdServiceInstance> state = new TreeMap<>();
		for (Map.Entry<Long, List<EtcdServiceEvent>> batch : batches.entrySet()) {
			long revision = batch.getKey();
			while (!history.isEmpty() && history.firstKey() <= revision) {
				Map.Entry<Long, List<WatchEvent>> change = history.pollFirstEntry();
				Map<String, EtcdServiceInstance> before = new TreeMap<>(state);
				change.getValue().forEach((event) -> apply(event, state));
				if (change.getKey() < revision && !before.equals(state)
						&& !reloadMayCollapse.test(revision, change.getKey())) {
					fail("Revision " + change.getKey() + " changed the registry, but the catalog emitted nothing for it"
							+ " (next events at revision " + revision + ")");
				}
			}
			for (EtcdServiceEvent event : batch.getValue()) {
				String key = event.serviceId() + "/" + event.instance().getInstanceId();
				EtcdServiceInstance known = copy.get(key);
				switch (event.type()) {
					case ADDED -> assertThat(known).as("%s at revision %d: already known", event, revision).isNull();
					case MODIFIED -> assertThat(known).as("%s at revision %d: unknown or unchanged", event, revision)
						.isNotNull()
						.isNotEqualTo(event.instance());
					case REMOVED -> assertThat(known).as("%s at revision %d: unknown", event, revision).isNotNull();
				}
				if (event.type() == EtcdServiceEvent.Type.REMOVED) {
					copy.remove(key);
				}
				else {
					copy.put(key, event.instance());
				}
			}
			assertThat(copy).as("the catalog's copy after revision %d", revision).isEqualTo(state);
		}
		Map<String, EtcdServiceInstance> before = new TreeMap<>(state);
		history.values().forEach((changes) -> changes.forEach((event) -> apply(event, state)));
		assertThat(state).as("changes after the last event the catalog emitted").isEqualTo(before);
	}

	private static void apply(WatchEvent event, Map<String, EtcdServiceInstance> state) {
		RegistryKeyLayout.InstanceKey key = CatalogFixture.LAYOUT.parse(event.getKeyValue().getKey());
		Objects.requireNonNull(key, "every key written is an instance key");
		String name = key.serviceId() + "/" + key.instanceId();
		if (event.getEventType() == WatchEvent.EventType.DELETE) {
			state.remove(name);
		}
		else {
			state.put(name, CatalogFixture.decode(key, event.getKeyValue().getValue().getBytes()));
		}
	}

	@Override
	public void close() {
		this.watcher.close();
	}

}
