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
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What finds a lost registration besides the lease's keep-alive: a watch of each key for
 * its deletion while it holds our lease, and a periodic check that finds the rest, such
 * as a key deleted while its watch was reconnecting. jetcd resumes a watch after a broken
 * connection; a watch it ends (after a compaction, say) is started again, and the check
 * covers the gap. Losses are reported to the {@link Registration} on the registry thread.
 * Confined to the registry thread, except for jetcd's callbacks, which only queue work
 * there.
 *
 * @author etcd-spring-boot contributors
 */
class LossDetectors {

	private static final Log logger = LogFactory.getLog(LossDetectors.class);

	private final Client client;

	private final RegistryWriter writer;

	private final RegistryThread thread;

	private final Duration checkInterval;

	private final Registration registration;

	private final Map<ByteSequence, Watch.Watcher> watchers = new HashMap<>();

	private final Set<ByteSequence> warnedForeignKeys = new HashSet<>();

	private @Nullable ScheduledFuture<?> checkTask;

	LossDetectors(Client client, RegistryWriter writer, RegistryThread thread, Duration checkInterval,
			Registration registration) {
		this.client = client;
		this.writer = writer;
		this.thread = thread;
		this.checkInterval = checkInterval;
		this.registration = registration;
	}

	/**
	 * Watch a key for its deletion, replacing its previous watch, and start the periodic
	 * check if it is not running.
	 * @param key the key
	 * @param leaseId the lease whose keys count: a deleted key held by another lease is
	 * not ours
	 * @param fromRevision the revision to watch from, or 0 for now
	 */
	void watch(ByteSequence key, long leaseId, long fromRevision) {
		stop(key);
		WatchOption option = WatchOption.builder().withRevision(fromRevision).withPrevKV(true).withNoPut(true).build();
		Watch.Watcher watcher = this.client.getWatchClient().watch(key, option, Watch.listener((response) -> {
			for (WatchEvent event : response.getEvents()) {
				if (event.getEventType() == WatchEvent.EventType.DELETE && event.getPrevKV().getLease() == leaseId) {
					this.thread.execute(() -> this.registration.lost(leaseId, "its key " + text(key) + " was deleted"));
				}
			}
		}, (error) -> logger.debug("Watch of " + text(key) + " interrupted", error), () -> this.thread.execute(() -> {
			if (this.registration.leaseId() == leaseId && this.watchers.get(key) != null
					&& this.watchers.get(key).isClosed()) {
				watch(key, leaseId, 0);
				check();
			}
		})));
		this.watchers.put(key, watcher);
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
		Watch.Watcher watcher = this.watchers.remove(key);
		if (watcher != null) {
			watcher.close();
		}
	}

	/**
	 * Stop every watch and the periodic check.
	 */
	void stopAll() {
		this.watchers.values().forEach(Watch.Watcher::close);
		this.watchers.clear();
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
