package io.github.etcdspring.lock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdspring.test.EtcdKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * etcd's own history of a lock and of a counter written under it, read back with a watch
 * from a revision: each write of the counter ({@code "N holderKey"}) must come from the
 * holder of the lock as etcd saw it at that revision (the live key with the lowest create
 * revision), and must count one more than the write before (no update lost).
 */
final class LockHistory {

	private static final ByteSequence EVERYTHING = ByteSequence.from(new byte[] { 0 });

	private LockHistory() {
	}

	/**
	 * Check the history since a revision.
	 * @param client the client
	 * @param fromRevision the first revision to check
	 * @param lockPrefix the prefix of the lock's keys, e.g. {@code locks/counter/}
	 * @param counterKey the counter
	 * @return how many writes of the counter were checked
	 */
	static int assertEveryWriteByTheHolder(Client client, long fromRevision, String lockPrefix, String counterKey) {
		long toRevision = EtcdKeys.await(client.getKVClient().get(EtcdKeys.bytes(counterKey)))
			.getHeader()
			.getRevision();
		List<WatchEvent> events = new CopyOnWriteArrayList<>();
		try (Watch.Watcher watcher = client.getWatchClient()
			.watch(EVERYTHING, WatchOption.builder().withRange(EVERYTHING).withRevision(fromRevision).build(),
					(response) -> events.addAll(response.getEvents()))) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> events.stream().anyMatch((event) -> event.getKeyValue().getModRevision() >= toRevision));
		}
		Map<String, Long> live = new HashMap<>();
		int writes = 0;
		long count = -1;
		for (WatchEvent event : events) {
			KeyValue kv = event.getKeyValue();
			String key = kv.getKey().toString(StandardCharsets.UTF_8);
			if (kv.getModRevision() > toRevision) {
				break;
			}
			if (key.startsWith(lockPrefix)) {
				if (event.getEventType() == WatchEvent.EventType.DELETE) {
					live.remove(key);
				}
				else {
					live.putIfAbsent(key, kv.getCreateRevision());
				}
			}
			else if (key.equals(counterKey) && event.getEventType() == WatchEvent.EventType.PUT) {
				String[] write = kv.getValue().toString(StandardCharsets.UTF_8).split(" ");
				long value = Long.parseLong(write[0]);
				if (count >= 0) {
					assertThat(value).as("counter written at revision %d after %d", kv.getModRevision(), count)
						.isEqualTo(count + 1);
					String holder = live.entrySet()
						.stream()
						.min(Comparator.comparingLong(Map.Entry::getValue))
						.map(Map.Entry::getKey)
						.orElse("nobody");
					assertThat(write[1]).as("writer of the counter at revision %d", kv.getModRevision())
						.isEqualTo(holder);
					writes++;
				}
				count = value;
			}
		}
		return writes;
	}

}
