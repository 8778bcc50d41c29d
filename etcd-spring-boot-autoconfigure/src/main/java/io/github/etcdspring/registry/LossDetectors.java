package io.github.etcdspring.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.watch.KeyRange;
import io.github.etcdspring.watch.PrefixWatch;
import io.github.etcdspring.watch.Recovery;
import io.github.etcdspring.watch.WatchListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What finds a lost registration besides the lease's keep-alive: a watch of the deletions
 * of the registered keys while they hold our lease, and a periodic check that finds the
 * rest, such as a key deleted while its watch was reconnecting.
 * <p>
 * The keys are watched by directory (a key's text up to its last {@code /}, e.g.
 * {@code services/orders/}; a key without one is watched alone): one {@link PrefixWatch}
 * per directory, whatever the number of keys in it, so that an application registering
 * 1,000 instances of a service holds one watch, not 1,000. The watch covers the one key
 * while the directory has one (the common case: it then receives no deletion of other
 * instances), and the directory from its second key on. A deletion counts when it is of a
 * key followed, held by our lease, after the revision we last wrote the key at: the
 * deletions of other instances in the directory, and of a key we deregistered, do not.
 * The watch resumes a broken watch from the last revision seen; when it cannot be
 * continued (a compacted revision, a restored cluster) it is started again from now and
 * the check runs at once, covering the gap. The check reads, keys only, once per
 * directory: from our first to our last key there.
 * <p>
 * Losses are reported to the {@link Registration} on the registry thread. Confined to the
 * registry thread, except for jetcd's callbacks, which only queue work there.
 *
 * @author etcd-spring-boot contributors
 */
class LossDetectors {

	private static final Log logger = LogFactory.getLog(LossDetectors.class);

	private final Client client;

	private final RegistryWriter writer;

	private final RegistryThread thread;

	private final RetryBackoff retryBackoff;

	private final Duration requestTimeout;

	private final Duration checkInterval;

	private final Registration registration;

	private final Map<KeyRange, DirectoryWatch> watches = new HashMap<>();

	private final Set<ByteSequence> warnedForeignKeys = new HashSet<>();

	private @Nullable ScheduledFuture<?> checkTask;

	LossDetectors(Client client, RegistryWriter writer, RegistryThread thread, RetryBackoff retryBackoff,
			Duration requestTimeout, Duration checkInterval, Registration registration) {
		this.client = client;
		this.writer = writer;
		this.thread = thread;
		this.retryBackoff = retryBackoff;
		this.requestTimeout = requestTimeout;
		this.checkInterval = checkInterval;
		this.registration = registration;
	}

	/**
	 * Follow a key for its deletion, from the revision it was written at; its directory
	 * is watched from then on unless it already is.
	 * @param key the key
	 * @param leaseId the lease whose keys count: a deleted key held by another lease is
	 * not ours
	 * @param writtenRevision the revision our lease wrote the key at
	 */
	void watch(ByteSequence key, long leaseId, long writtenRevision) {
		KeyRange directory = directoryOf(key);
		DirectoryWatch watch = this.watches.get(directory);
		if (watch != null && watch.leaseId != leaseId) {
			watch.engine.close();
			watch = null;
		}
		if (watch == null) {
			watch = new DirectoryWatch(directory, leaseId, key);
			this.watches.put(directory, watch);
			watch.writtenAt.put(key, writtenRevision);
			watch.start(writtenRevision);
		}
		else {
			watch.add(key, writtenRevision);
		}
	}

	/**
	 * The revision our lease last wrote a followed key at.
	 * @param key the key
	 * @return the revision, or 0 when the key is not followed
	 */
	long writtenRevision(ByteSequence key) {
		DirectoryWatch watch = this.watches.get(directoryOf(key));
		Long revision = (watch != null) ? watch.writtenAt.get(key) : null;
		return (revision != null) ? revision : 0;
	}

	/**
	 * Start the periodic check, unless it runs.
	 */
	void startChecks() {
		if (this.checkTask == null) {
			long interval = this.checkInterval.toMillis();
			this.checkTask = this.thread.scheduleWithFixedDelay(this::check, interval);
		}
	}

	/**
	 * Stop following a key: its deletion is no loss any more. The watch of its directory
	 * ends with its last key.
	 * @param key the key
	 */
	void stop(ByteSequence key) {
		KeyRange directory = directoryOf(key);
		DirectoryWatch watch = this.watches.get(directory);
		if (watch != null && watch.writtenAt.remove(key) != null && watch.writtenAt.isEmpty()) {
			this.watches.remove(directory);
			watch.engine.close();
		}
	}

	/**
	 * Stop every watch and the periodic check.
	 */
	void stopAll() {
		this.watches.values().forEach((watch) -> watch.engine.close());
		this.watches.clear();
		if (this.checkTask != null) {
			this.checkTask.cancel(false);
			this.checkTask = null;
		}
	}

	/**
	 * How many watches run, one per directory.
	 * @return the count
	 */
	int watchCount() {
		return this.watches.size();
	}

	/**
	 * Read the registered keys, one request per directory, and report the first missing.
	 */
	void check() {
		if (!this.registration.isRegistered()) {
			return;
		}
		long checkedLeaseId = this.registration.leaseId();
		Map<KeyRange, List<ByteSequence>> byDirectory = new LinkedHashMap<>();
		for (ByteSequence key : List.copyOf(this.registration.keys())) {
			byDirectory.computeIfAbsent(directoryOf(key), (directory) -> new ArrayList<>()).add(key);
		}
		for (Map.Entry<KeyRange, List<ByteSequence>> directory : byDirectory.entrySet()) {
			List<ByteSequence> keys = directory.getValue();
			keys.sort((one, other) -> Arrays.compareUnsigned(one.getBytes(), other.getBytes()));
			Map<ByteSequence, KeyValue> found;
			try {
				found = this.writer.keysBetween(keys.get(0), keys.get(keys.size() - 1));
			}
			catch (RuntimeException ex) {
				logger.debug("Could not check the etcd registration of " + text(directory.getKey().key()), ex);
				return;
			}
			for (ByteSequence key : keys) {
				KeyValue current = found.get(key);
				if (current == null) {
					this.registration.lost(checkedLeaseId, ReregistrationReason.KEY_MISSING,
							"its key " + text(key) + " is missing");
					return;
				}
				if (current.getLease() != checkedLeaseId && this.warnedForeignKeys.add(key)) {
					logger.warn("The etcd key " + text(key) + " is held by lease "
							+ Long.toHexString(current.getLease()) + ", not ours (" + Long.toHexString(checkedLeaseId)
							+ "): another process registered the same instance id; set service.instance-id or "
							+ "service.host to tell them apart");
				}
			}
		}
	}

	/**
	 * The range watched for a key: its directory, or the key alone when it has none.
	 */
	static KeyRange directoryOf(ByteSequence key) {
		byte[] bytes = key.getBytes();
		for (int index = bytes.length - 2; index >= 0; index--) {
			if (bytes[index] == '/') {
				return KeyRange.prefix(ByteSequence.from(Arrays.copyOf(bytes, index + 1)));
			}
		}
		return new KeyRange(key, false);
	}

	private static String text(ByteSequence key) {
		return RegistryWriter.text(key);
	}

	/**
	 * The deletion watch of the keys of one directory under one lease: of its one key
	 * while it has one, as most applications do, so that it receives no deletion of other
	 * instances; of the whole directory from its second key on.
	 */
	private final class DirectoryWatch implements WatchListener {

		private final KeyRange directory;

		private final long leaseId;

		private KeyRange watched;

		// The keys followed, and the revision our lease last wrote each at.
		private final Map<ByteSequence, Long> writtenAt = new HashMap<>();

		private final PrefixWatch engine;

		DirectoryWatch(KeyRange directory, long leaseId, ByteSequence firstKey) {
			this.directory = directory;
			this.leaseId = leaseId;
			this.watched = new KeyRange(firstKey, false);
			this.engine = new PrefixWatch(LossDetectors.this.client, LossDetectors.this.thread.executor(),
					LossDetectors.this.retryBackoff, LossDetectors.this.requestTimeout, Recovery.RESUME,
					"the etcd registration keys under " + text(directory.key()), this)
				.deletionsOnly();
			this.engine.open();
		}

		void start(long readRevision) {
			this.engine.start(List.of(this.watched), readRevision, 0);
		}

		/**
		 * Follow another key; a second key widens the watch to the directory, from the
		 * earlier of the revision the watch has seen and the key's.
		 */
		void add(ByteSequence key, long writtenRevision) {
			this.writtenAt.put(key, writtenRevision);
			if (!this.watched.equals(this.directory) && !this.watched.key().equals(key)) {
				this.watched = this.directory;
				start(Math.min(this.engine.revision(), writtenRevision));
			}
		}

		@Override
		public void onChanges(List<WatchEvent> changes) {
			RegistryThread.guarded(() -> {
				for (WatchEvent event : changes) {
					if (isLoss(event)) {
						LossDetectors.this.registration.lost(this.leaseId, ReregistrationReason.KEY_DELETED,
								"its key " + text(event.getKeyValue().getKey()) + " was deleted");
						return;
					}
				}
			}).run();
		}

		/**
		 * Whether an event deletes a key followed, held by our lease, after we wrote it.
		 */
		private boolean isLoss(WatchEvent event) {
			if (event.getEventType() != WatchEvent.EventType.DELETE || event.getPrevKV().getLease() != this.leaseId) {
				return false;
			}
			Long written = this.writtenAt.get(event.getKeyValue().getKey());
			return written != null && event.getKeyValue().getModRevision() > written;
		}

		@Override
		public void onReset(WatchListener.Reset reset, @Nullable Throwable cause) {
			RegistryThread.guarded(this::watchFromNow).run();
		}

		/**
		 * The watch could not be continued: watch from now, and check what happened
		 * meanwhile. A watch replaced or stopped meanwhile gets no callbacks.
		 */
		private void watchFromNow() {
			if (LossDetectors.this.registration.leaseId() != this.leaseId) {
				return; // lost: the restoration watches the keys under the new lease
			}
			long now;
			try {
				now = LossDetectors.this.writer.revision(this.directory.start());
			}
			catch (RuntimeException ex) {
				logger.debug("Could not read the etcd revision to watch " + text(this.directory.key()) + " from", ex);
				this.engine.retryLater(RegistryThread.guarded(this::watchFromNow));
				return;
			}
			this.engine.attemptSucceeded();
			start(now);
			check();
		}

	}

	/**
	 * The registration watched, seen from the registry thread.
	 */
	interface Registration {

		/**
		 * Whether every key is in etcd under a live lease.
		 * @return whether registered
		 */
		boolean isRegistered();

		/**
		 * The lease the keys are under.
		 * @return its id, or 0
		 */
		long leaseId();

		/**
		 * The keys registered.
		 * @return the keys
		 */
		Collection<ByteSequence> keys();

		/**
		 * The registration under a lease is lost.
		 * @param leaseId the lease it was under
		 * @param reason why it counts as lost
		 * @param description what was seen
		 */
		void lost(long leaseId, ReregistrationReason reason, String description);

	}

}
