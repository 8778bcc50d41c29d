package io.github.etcdspring.watch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.github.etcdspring.client.ClusterRestoreCheck;
import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.client.RetryBackoff;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Follows one or more key ranges of etcd from a revision and hands every later change to
 * its owner exactly once, on the owner's executor: the changes of one range in revision
 * order; those of different ranges, which etcd delivers to each range's watch on its own,
 * not interleaved by revision (a transaction over two ranges arrives as two batches of
 * the same revision). Each range keeps the revision it has seen, and resumes from it.
 * <p>
 * The owner reads what it follows, then calls {@link #start} with the revision read; the
 * watch delivers the changes after it, with progress notifications (which advance the
 * revision followed) and require-leader (a member cut off from its cluster would
 * otherwise stay silent). When the watch breaks, it either resumes from the last revision
 * seen ({@link Recovery#RESUME}) or asks the owner to read again
 * ({@link Recovery#READ_AGAIN}), after the jittered {@link RetryBackoff}. Whatever the
 * recovery, a compacted revision, a batch larger than the client accepts, or a created
 * watch that shows a restored or recreated cluster ({@link ClusterRestoreCheck}; a member
 * that merely lags is not one) is reported as a {@link WatchListener.Reset}: the owner
 * reads again and calls {@link #start} with the new revision.
 * <p>
 * Every callback of a watch carries its generation: once the watch is closed or replaced,
 * its late callbacks are dropped. {@link #close()} may be called from any thread, even
 * while the executor is busy: a retry scheduled before starts nothing afterwards. The
 * executor is the owner's and must run one task at a time; the engine never shuts it
 * down. Modelled on Apache Curator's {@code PersistentWatcher}, which reports a reset to
 * its owner the same way.
 * <p>
 * It is longer than the project's other classes on purpose: resuming, resetting, backing
 * off and guarding generations share the state of one watch (its revision, its
 * generation, its pending retry), and splitting them would spread that state over classes
 * that must then be kept in step.
 *
 * @author etcd-spring-boot contributors
 */
public final class PrefixWatch implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(PrefixWatch.class);

	private final Watch watchClient;

	private final Function<ByteSequence, ClusterRestoreCheck> restoreChecks;

	private final ScheduledExecutorService executor;

	private final RetryBackoff retryBackoff;

	private final Recovery recovery;

	private final String subject;

	private final WatchListener listener;

	private volatile boolean deletionsOnly;

	// Confined to the executor.
	private List<KeyRange> ranges = List.of();

	private long revision;

	// The revision each range has seen: etcd delivers the changes of one revision to each
	// range's watch on its own, so a revision seen by one range may not be by another.
	private long[] seenByRange = new long[0];

	private long clusterId;

	private int failedAttempts;

	// whether the watch broke since it was last in place: its next creation reconnects it
	private boolean broken;

	private final WatchCounts counts = new WatchCounts();

	private @Nullable ClusterRestoreCheck restoreCheck;

	// Changed by any thread.
	private final Object lock = new Object();

	private final List<Watch.Watcher> watchers = new ArrayList<>();

	private volatile long generation;

	private volatile boolean open;

	// Changed by each open() and close(): a retry scheduled before runs only in the same
	// lifecycle.
	private volatile long lifecycle;

	private volatile @Nullable ScheduledFuture<?> pendingRetry;

	/**
	 * A watch whose created watches are checked with a linearizable read of the first
	 * range's key.
	 * @param client the client
	 * @param executor runs every callback, one at a time
	 * @param retryBackoff the delays between attempts
	 * @param requestTimeout how long the read that confirms a revision drop may take
	 * @param recovery what to do when the watch breaks
	 * @param subject what is followed, for the logs, e.g. "the etcd service registry"
	 * @param listener the owner
	 */
	public PrefixWatch(Client client, ScheduledExecutorService executor, RetryBackoff retryBackoff,
			Duration requestTimeout, Recovery recovery, String subject, WatchListener listener) {
		this(client.getWatchClient(), (key) -> ClusterRestoreCheck.of(client, key, requestTimeout), executor,
				retryBackoff, recovery, subject, listener);
	}

	PrefixWatch(Watch watchClient, Function<ByteSequence, ClusterRestoreCheck> restoreChecks,
			ScheduledExecutorService executor, RetryBackoff retryBackoff, Recovery recovery, String subject,
			WatchListener listener) {
		this.watchClient = watchClient;
		this.restoreChecks = restoreChecks;
		this.executor = executor;
		this.retryBackoff = retryBackoff;
		this.recovery = recovery;
		this.subject = subject;
		this.listener = listener;
	}

	/**
	 * Deliver only deletions, each with the key-value it deleted (its lease, say). Call
	 * before the first {@link #start}.
	 * @return this watch
	 */
	public PrefixWatch deletionsOnly() {
		this.deletionsOnly = true;
		return this;
	}

	/**
	 * Allow watches and retries, until {@link #close()}. Any thread.
	 */
	public void open() {
		this.open = true;
		this.lifecycle++;
	}

	/**
	 * Close the watches and cancel any retry. Any thread; does not wait for the executor.
	 */
	@Override
	public void close() {
		this.open = false;
		this.lifecycle++;
		closeWatches();
		ScheduledFuture<?> retry = this.pendingRetry;
		if (retry != null) {
			retry.cancel(false);
		}
	}

	/**
	 * Watch the ranges from the revision after the one read. On the executor.
	 * @param ranges the ranges, carried on one stream; the first one's key is read to
	 * confirm a revision drop
	 * @param readRevision the revision the owner read them at
	 * @param readClusterId the cluster id of that read, or 0 to keep the one known (the
	 * first created watch tells it)
	 */
	public void start(List<KeyRange> ranges, long readRevision, long readClusterId) {
		if (!ranges.equals(this.ranges)) {
			this.ranges = List.copyOf(ranges);
			this.restoreCheck = this.restoreChecks.apply(ranges.get(0).start());
		}
		// Not the maximum: a recreated cluster counts its revisions from 1 again.
		this.revision = readRevision;
		this.seenByRange = new long[this.ranges.size()];
		Arrays.fill(this.seenByRange, readRevision);
		if (readClusterId != 0) {
			this.clusterId = readClusterId;
		}
		watchFrom();
	}

	/**
	 * The latest revision read, seen or reported by progress notifications, by every
	 * range.
	 * @return the revision
	 */
	public long revision() {
		return this.revision;
	}

	/**
	 * What the watch went through, for the endpoint and the meters ({@link WatchMeters}).
	 * Any thread.
	 * @return the counts, updated as the watch goes on
	 */
	public WatchCounts counts() {
		return this.counts;
	}

	/**
	 * How many attempts failed in a row, the owner's included.
	 * @return the count
	 */
	public int failedAttempts() {
		return this.failedAttempts;
	}

	/**
	 * Start the backoff from its first delay again: an attempt of the owner succeeded. A
	 * created watch that continues the history followed does it too.
	 */
	public void attemptSucceeded() {
		this.failedAttempts = 0;
	}

	/**
	 * Whether neither a watch nor a retry is under way, as after a read that failed or
	 * was abandoned.
	 * @return whether idle
	 */
	public boolean isIdle() {
		ScheduledFuture<?> retry = this.pendingRetry;
		synchronized (this.lock) {
			return this.watchers.isEmpty() && (retry == null || retry.isDone());
		}
	}

	/**
	 * Run a task of the owner (a read again) on the executor after the next backoff
	 * delay, unless closed by then.
	 * @param task the task
	 */
	public void retryLater(Runnable task) {
		if (!this.open) {
			return;
		}
		long lifecycleOfRetry = this.lifecycle;
		long delay = this.retryBackoff.delayMillis(this.failedAttempts);
		this.failedAttempts++;
		try {
			this.pendingRetry = this.executor.schedule(() -> {
				if (this.open && this.lifecycle == lifecycleOfRetry) {
					task.run();
				}
			}, delay, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the owner shut its executor down
		}
	}

	// ---------------------------------------------------------------- on the executor

	/**
	 * Watch each range for the changes after the last revision it has seen, starting the
	 * watch at that revision itself (whose changes are dropped as seen): etcd before
	 * 3.4.34 and 3.5.15 answers a watch that starts at the very revision a compaction
	 * kept without the deletions of that revision (the compaction removed their
	 * tombstones; etcd-io/etcd#18089), so a deletion made and compacted while the watch
	 * was broken would be lost silently. Starting one revision earlier turns that case
	 * into a compacted revision, and a read again.
	 */
	private void watchFrom() {
		synchronized (this.lock) {
			closeWatches();
			if (!this.open) {
				return; // closed while the owner was reading
			}
			long current = this.generation;
			for (int index = 0; index < this.ranges.size(); index++) {
				KeyRange range = this.ranges.get(index);
				int rangeIndex = index;
				WatchOption.Builder option = WatchOption.builder()
					.withRevision(Math.max(1, this.seenByRange[index]))
					.withProgressNotify(true)
					.withCreateNotify(true)
					.withRequireLeader(true)
					.withNoPut(this.deletionsOnly)
					.withPrevKV(this.deletionsOnly);
				if (range.prefix()) {
					// the range as read: the empty prefix watches from \0 to the end
					option.withRange(range.end());
				}
				this.watchers.add(this.watchClient.watch(range.start(), option.build(),
						Watch.listener((response) -> onExecutor(current, () -> onResponse(rangeIndex, response)),
								(error) -> onExecutor(current, () -> onBroken(error)),
								() -> onExecutor(current, () -> onBroken(null)))));
			}
		}
	}

	private void onResponse(int rangeIndex, WatchResponse response) {
		if (response.isCreatedNotify()) {
			onCreated(response);
			return;
		}
		if (response.isProgressNotify()) {
			seen(rangeIndex, response.getHeader().getRevision());
			return;
		}
		long seen = this.seenByRange[rangeIndex];
		List<WatchEvent> changes = response.getEvents()
			.stream()
			.filter((event) -> event.getKeyValue().getModRevision() > seen) // else seen
																			// already
			.toList();
		if (!changes.isEmpty()) {
			seen(rangeIndex,
					changes.stream().mapToLong((event) -> event.getKeyValue().getModRevision()).max().orElseThrow());
			try {
				this.listener.onChanges(changes);
				this.counts.applied(changes.size());
			}
			catch (RuntimeException ex) {
				// the changes count as seen: without a reset they would be lost for good,
				// silently (the executor keeps what a task throws to itself)
				logger.error("Could not apply the changes of " + this.subject + " up to revision " + this.revision
						+ "; reading it again", ex);
				reset(WatchListener.Reset.NOT_APPLIED, ex);
			}
		}
	}

	/**
	 * A range has seen every change up to a revision: the watch as a whole has seen those
	 * up to the smallest revision of its ranges.
	 */
	private void seen(int rangeIndex, long seenRevision) {
		this.seenByRange[rangeIndex] = Math.max(this.seenByRange[rangeIndex], seenRevision);
		this.revision = Arrays.stream(this.seenByRange).min().orElse(this.revision);
	}

	private void onCreated(WatchResponse created) {
		if (this.clusterId == 0) {
			this.clusterId = created.getHeader().getClusterId();
		}
		ClusterRestoreCheck.Verdict verdict;
		try {
			verdict = this.restoreCheck.check(this.clusterId, this.revision, created.getHeader());
		}
		catch (RuntimeException ex) {
			logger.debug("Could not confirm the revision of " + this.subject + "; trying again later", ex);
			onBroken(ex);
			return;
		}
		if (verdict == ClusterRestoreCheck.Verdict.RESTORED) {
			logger.warn("The etcd revision went back from " + this.revision + " to " + created.getHeader().getRevision()
					+ ", or the cluster id changed (the cluster was restored or " + "recreated); reading "
					+ this.subject + " again");
			this.clusterId = created.getHeader().getClusterId();
			reset(WatchListener.Reset.RESTORED, null);
			return;
		}
		if (verdict == ClusterRestoreCheck.Verdict.LAGGING_MEMBER && logger.isDebugEnabled()) {
			logger.debug(
					"The watch of " + this.subject + " is on a member at revision " + created.getHeader().getRevision()
							+ ", behind " + this.revision + "; it delivers the changes once the member catches up");
		}
		if (this.failedAttempts > 0) {
			logger.info("Watching " + this.subject + " again from revision " + (this.revision + 1));
			this.failedAttempts = 0;
		}
		if (this.broken) {
			this.broken = false;
			this.counts.reconnected();
		}
		this.listener.onWatching();
	}

	/**
	 * An error, or an end without one (jetcd's own ends after an error never get here:
	 * the error closed the watch).
	 */
	private void onBroken(@Nullable Throwable error) {
		closeWatches();
		this.broken = true;
		this.counts.broken();
		if (error instanceof CompactedException compacted) {
			logger.warn("Revision " + (this.revision + 1) + " of " + this.subject + " was compacted; reading it "
					+ "again (etcd compacted up to revision " + compacted.getCompactedRevision() + ")");
			reset(WatchListener.Reset.COMPACTED, error);
			return;
		}
		if (error != null && EtcdFailure.of(error) == EtcdFailure.TOO_LARGE) {
			// resuming would fetch the same batch again: the owner reads in pages and
			// watches from there instead
			logger.warn("The changes of " + this.subject + " from revision " + (this.revision + 1)
					+ " exceed etcd.max-inbound-message-size; reading it again");
			reset(WatchListener.Reset.TOO_LARGE, error);
			return;
		}
		if (this.recovery == Recovery.READ_AGAIN) {
			reset(WatchListener.Reset.BROKEN, error);
			return;
		}
		if (this.failedAttempts == 0) {
			// an end without an error is rare (a stream that etcd or gRPC ended as if
			// done)
			// but must leave a trace too
			String why = (error != null)
					? "broke (" + EtcdFailure.of(error).description() + ": " + EtcdFailure.messageOf(error) + ")"
					: "ended without an error";
			logger.warn("The watch of " + this.subject + " " + why + "; resuming from revision " + (this.revision + 1));
		}
		retryLater(this::watchFrom);
	}

	private void reset(WatchListener.Reset reset, @Nullable Throwable cause) {
		closeWatches();
		this.broken = true;
		this.counts.broken();
		this.counts.reset(reset);
		this.listener.onReset(reset, cause);
	}

	/**
	 * Close the watches but stay open, until the owner, having read again, calls
	 * {@link #start}. Any thread.
	 */
	public void closeWatches() {
		synchronized (this.lock) {
			this.generation++;
			this.watchers.forEach(Watch.Watcher::close);
			this.watchers.clear();
		}
	}

	private void onExecutor(long generationOfWatch, Runnable task) {
		try {
			this.executor.execute(() -> {
				if (generationOfWatch == this.generation && this.open) {
					task.run();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// the owner shut its executor down: late callbacks have nothing left to
			// update
		}
	}

}
