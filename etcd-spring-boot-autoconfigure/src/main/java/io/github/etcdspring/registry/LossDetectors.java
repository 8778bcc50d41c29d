package io.github.etcdspring.registry;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
 * What finds a lost registration besides the lease's keep-alive: a watch of each key for
 * its deletion while it holds our lease, and a periodic check that finds the rest, such
 * as a key deleted while its watch was reconnecting. Each key is followed by a
 * {@link PrefixWatch} of its deletions, which resumes a broken watch from the last
 * revision seen; when the watch cannot be continued (a compacted revision, a restored
 * cluster) it is started again from now and the check runs at once, covering the gap.
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

	private final Map<ByteSequence, KeyWatch> watches = new HashMap<>();

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
	 * Watch a key for its deletion, replacing its previous watch.
	 * @param key the key
	 * @param leaseId the lease whose keys count: a deleted key held by another lease is
	 * not ours
	 * @param fromRevision the revision to watch from
	 */
	void watch(ByteSequence key, long leaseId, long fromRevision) {
		stop(key);
		KeyWatch watch = new KeyWatch(key, leaseId);
		this.watches.put(key, watch);
		watch.start(fromRevision - 1);
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
	 * Stop watching a key.
	 * @param key the key
	 */
	void stop(ByteSequence key) {
		KeyWatch watch = this.watches.remove(key);
		if (watch != null) {
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

	private void check() {
		if (!this.registration.isRegistered()) {
			return;
		}
		long checkedLeaseId = this.registration.leaseId();
		for (ByteSequence key : List.copyOf(this.registration.keys())) {
			KeyValue found;
			try {
				found = this.writer.get(key);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not check the etcd registration of " + text(key), ex);
				return;
			}
			if (found == null) {
				this.registration.lost(checkedLeaseId, "its key " + text(key) + " is missing");
				return;
			}
			if (found.getLease() != checkedLeaseId && this.warnedForeignKeys.add(key)) {
				logger.warn("The etcd key " + text(key) + " is held by lease " + Long.toHexString(found.getLease())
						+ ", not ours (" + Long.toHexString(checkedLeaseId) + "): another process registered the same "
						+ "instance id; set service.instance-id or service.host to tell them apart");
			}
		}
	}

	private static String text(ByteSequence key) {
		return RegistryWriter.text(key);
	}

	/**
	 * The deletion watch of one key under one lease.
	 */
	private final class KeyWatch implements WatchListener {

		private final ByteSequence key;

		private final long leaseId;

		private final List<KeyRange> range;

		private final PrefixWatch engine;

		KeyWatch(ByteSequence key, long leaseId) {
			this.key = key;
			this.leaseId = leaseId;
			this.range = List.of(new KeyRange(key, false));
			this.engine = new PrefixWatch(LossDetectors.this.client, LossDetectors.this.thread.executor(),
					LossDetectors.this.retryBackoff, LossDetectors.this.requestTimeout, Recovery.RESUME,
					"the etcd registration key " + text(key), this)
				.deletionsOnly();
			this.engine.open();
		}

		void start(long readRevision) {
			this.engine.start(this.range, readRevision, 0);
		}

		@Override
		public void onChanges(List<WatchEvent> changes) {
			RegistryThread.guarded(() -> {
				for (WatchEvent event : changes) {
					if (event.getEventType() == WatchEvent.EventType.DELETE
							&& event.getPrevKV().getLease() == this.leaseId) {
						LossDetectors.this.registration.lost(this.leaseId,
								"its key " + text(this.key) + " was deleted");
						return;
					}
				}
			}).run();
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
				now = LossDetectors.this.writer.revision(this.key);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not read the etcd revision to watch " + text(this.key) + " from", ex);
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
		 * @param reason what was seen
		 */
		void lost(long leaseId, String reason);

	}

}
