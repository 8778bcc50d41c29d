package io.github.etcdspring.leader;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdspring.coordination.ContenderQueue;
import io.github.etcdspring.coordination.EtcdCoordinator;
import io.github.etcdspring.watch.KeyRange;
import io.github.etcdspring.watch.PrefixWatch;
import io.github.etcdspring.watch.Recovery;
import io.github.etcdspring.watch.WatchListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * An observation of an election, returned by {@link EtcdLeaderElection#observe}: it keeps
 * every candidate's key in memory (read once, then followed by a watch of the election's
 * prefix and applied event by event, in revision order) and tells its observer each time
 * the leader, the candidate with the lowest create revision, or its proposal differs from
 * the one told last, including when nobody leads. Unlike etcd's Go {@code Observe}, it
 * neither skips a leader of a watch response nor keeps silent about "no leader". When the
 * watch cannot be continued (compaction, a restored cluster) it reads the election again.
 * Closing it stops the observer.
 *
 * @author etcd-spring-boot contributors
 */
public final class LeaderObservation implements AutoCloseable, WatchListener {

	private static final Log logger = LogFactory.getLog(LeaderObservation.class);

	private final Client client;

	private final EtcdCoordinator coordinator;

	private final ContenderQueue queue;

	private final ByteSequence prefix;

	private final LeaderObserver observer;

	private final PrefixWatch watch;

	// Confined to the coordinator's thread.
	private final Map<ByteSequence, KeyValue> candidates = new HashMap<>();

	private @Nullable Optional<Leader> told;

	private volatile boolean closed;

	LeaderObservation(Client client, EtcdCoordinator coordinator, ContenderQueue queue, LeaderObserver observer) {
		this.client = client;
		this.coordinator = coordinator;
		this.queue = queue;
		this.prefix = ByteSequence.from(queue.prefix(), StandardCharsets.UTF_8);
		this.observer = observer;
		this.watch = coordinator.watch("the election " + queue, Recovery.RESUME, this);
	}

	void start() {
		this.watch.open();
		this.coordinator.execute(this::read);
	}

	private void read() {
		if (this.closed) {
			return;
		}
		this.client.getKVClient()
			.get(this.prefix, GetOption.builder().isPrefix(true).build())
			.whenComplete((response, failure) -> this.coordinator.execute(() -> read(response, failure)));
	}

	private void read(@Nullable GetResponse response, @Nullable Throwable failure) {
		if (this.closed) {
			return;
		}
		if (response == null) {
			logger.debug("Could not read the election " + this.queue + "; trying again", failure);
			this.watch.retryLater(this::read);
			return;
		}
		this.watch.attemptSucceeded();
		this.candidates.clear();
		response.getKvs().forEach((candidate) -> this.candidates.put(candidate.getKey(), candidate));
		tellIfChanged();
		this.watch.start(List.of(KeyRange.prefix(this.prefix)), response.getHeader().getRevision(),
				response.getHeader().getClusterId());
	}

	@Override
	public void onChanges(List<WatchEvent> changes) {
		for (WatchEvent change : changes) {
			KeyValue candidate = change.getKeyValue();
			if (change.getEventType() == WatchEvent.EventType.PUT) {
				this.candidates.put(candidate.getKey(), candidate);
			}
			else if (change.getEventType() == WatchEvent.EventType.DELETE) {
				this.candidates.remove(candidate.getKey());
			}
			tellIfChanged();
		}
	}

	@Override
	public void onReset(Reset reset, @Nullable Throwable cause) {
		read();
	}

	private void tellIfChanged() {
		Optional<Leader> leader = this.candidates.values()
			.stream()
			.min(Comparator.comparingLong(KeyValue::getCreateRevision))
			.map((first) -> Leader.of(this.queue.name(), first));
		if (leader.equals(this.told) || this.closed) {
			return;
		}
		this.told = leader;
		try {
			this.observer.leaderChanged(leader);
		}
		catch (RuntimeException ex) {
			logger.error("An observer of the election " + this.queue + " failed", ex);
		}
	}

	/**
	 * Stop observing; the observer is not told anything afterwards. Any thread.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.watch.close();
	}

}
