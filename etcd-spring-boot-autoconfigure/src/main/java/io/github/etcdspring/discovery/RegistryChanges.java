package io.github.etcdspring.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdspring.discovery.CatalogStorage.InstanceRef;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.watch.WatchListener;
import org.jspecify.annotations.Nullable;

/**
 * Turns the changes of the registry watch into service events, one revision at a time:
 * the events of a revision are computed against the copy once the previous revision is
 * applied to it. A reset of the watch reads the registry again.
 *
 * @author etcd-spring-boot contributors
 */
final class RegistryChanges implements WatchListener {

	private final RegistryValueDecoder decoder;

	private final CatalogStorage storage;

	private final BiConsumer<List<EtcdServiceEvent>, Long> apply;

	private final Runnable readAgain;

	RegistryChanges(RegistryValueDecoder decoder, CatalogStorage storage,
			BiConsumer<List<EtcdServiceEvent>, Long> apply, Runnable readAgain) {
		this.decoder = decoder;
		this.storage = storage;
		this.apply = apply;
		this.readAgain = readAgain;
	}

	@Override
	public void onChanges(List<WatchEvent> changes) {
		Map<Long, List<WatchEvent>> eventsByRevision = new TreeMap<>();
		for (WatchEvent event : changes) {
			eventsByRevision.computeIfAbsent(event.getKeyValue().getModRevision(), (revision) -> new ArrayList<>())
				.add(event);
		}
		eventsByRevision.forEach((eventRevision, watchEvents) -> {
			List<EtcdServiceEvent> events = new ArrayList<>();
			watchEvents.forEach((event) -> toServiceEvent(event, eventRevision, events));
			this.apply.accept(events, eventRevision);
		});
	}

	@Override
	public void onReset(Reset reset, @Nullable Throwable cause) {
		this.readAgain.run();
	}

	/**
	 * The events of one changed key: the instance its value now holds, and the removal of
	 * what it held in another format (a value rewritten in another format, deleted, or no
	 * longer readable).
	 */
	private void toServiceEvent(WatchEvent event, long eventRevision, List<EtcdServiceEvent> events) {
		KeyValue keyValue = event.getKeyValue();
		EtcdServiceInstance instance = (event.getEventType() == WatchEvent.EventType.PUT)
				? this.decoder.decode(keyValue) : null;
		InstanceRef held = (instance != null) ? InstanceRef.of(instance) : null;
		for (InstanceRef ref : this.decoder.refsOf(keyValue)) {
			if (!ref.equals(held)) {
				add(this.storage.changeOf(ref, null, eventRevision), events);
			}
		}
		if (instance != null) {
			add(this.storage.changeOf(held, instance, eventRevision), events);
		}
	}

	private static void add(@Nullable EtcdServiceEvent change, List<EtcdServiceEvent> events) {
		if (change != null) {
			events.add(change);
		}
	}

}
