package io.github.etcdspring.watch;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.github.etcdspring.client.ClusterRestoreCheck;
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
 * This class turns the callbacks of the watches into deliveries, resumes and resets;
 * {@link WatchGeneration} keeps the watches in place and guards their generation,
 * {@link RangeWatchOptions} tells how to watch a range, {@link RangeRevisions} keeps the
 * revisions seen, {@link RetrySchedule} the retries, {@link FollowedHistory} judges a
 * created watch and {@link BreakClassifier} a broken one.
 *
 * @author etcd-spring-boot contributors
 */
public final class PrefixWatch implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(PrefixWatch.class);

	private final String subject;

	private final WatchListener listener;

	private final RangeWatchOptions options = new RangeWatchOptions();

	private final WatchGeneration watches;

	private final RetrySchedule retries;

	private final FollowedHistory history;

	private final BreakClassifier breaks;

	// Confined to the executor.
	private final RangeRevisions revisions = new RangeRevisions();

	private final WatchCounts counts = new WatchCounts();

	// Changed by any thread.
	private volatile boolean open;

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
		this.subject = subject;
		this.listener = listener;
		this.watches = new WatchGeneration(watchClient, executor, () -> this.open);
		this.retries = new RetrySchedule(executor, retryBackoff, () -> this.open);
		this.history = new FollowedHistory(restoreChecks, subject);
		this.breaks = new BreakClassifier(recovery, subject);
	}

	/**
	 * Deliver only deletions, each with the key-value it deleted (its lease, say). Call
	 * before the first {@link #start}.
	 * @return this watch
	 */
	public PrefixWatch deletionsOnly() {
		this.options.deletionsOnly();
		return this;
	}

	/**
	 * Allow watches and retries, until {@link #close()}. Any thread.
	 */
	public void open() {
		this.open = true;
		this.retries.newLifecycle();
	}

	/**
	 * Close the watches and cancel any retry. Any thread; does not wait for the executor.
	 */
	@Override
	public void close() {
		this.open = false;
		this.retries.newLifecycle();
		closeWatches();
		this.retries.cancel();
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
		if (this.revisions.read(ranges, readRevision)) {
			this.history.confirmWith(ranges.get(0).start());
		}
		this.history.read(readClusterId);
		watchFrom();
	}

	/**
	 * The latest revision read, seen or reported by progress notifications, by every
	 * range.
	 * @return the revision
	 */
	public long revision() {
		return this.revisions.revision();
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
		return this.retries.failedAttempts();
	}

	/**
	 * Start the backoff from its first delay again: an attempt of the owner succeeded. A
	 * created watch that continues the history followed does it too.
	 */
	public void attemptSucceeded() {
		this.retries.attemptSucceeded();
	}

	/**
	 * Whether neither a watch nor a retry is under way, as after a read that failed or
	 * was abandoned.
	 * @return whether idle
	 */
	public boolean isIdle() {
		ScheduledFuture<?> retry = this.retries.pendingRetry();
		return this.watches.isEmpty() && (retry == null || retry.isDone());
	}

	/**
	 * Run a task of the owner (a read again) on the executor after the next backoff
	 * delay, unless closed by then.
	 * @param task the task
	 */
	public void retryLater(Runnable task) {
		this.retries.later(task);
	}

	// ---------------------------------------------------------------- on the executor

	/**
	 * Watch each range for the changes after the last revision it has seen, from
	 * {@link RangeRevisions#watchStart}.
	 */
	private void watchFrom() {
		List<KeyRange> ranges = this.revisions.ranges();
		this.watches.replace(ranges, (index) -> this.options.of(ranges.get(index), this.revisions.watchStart(index)),
				this::onResponse, this::onBroken);
	}

	private void onResponse(WatchResponse response, int rangeIndex) {
		if (response.isCreatedNotify()) {
			onCreated(response);
			return;
		}
		if (response.isProgressNotify()) {
			this.revisions.seen(rangeIndex, response.getHeader().getRevision());
			return;
		}
		List<WatchEvent> changes = this.revisions.unseen(rangeIndex, response.getEvents());
		if (!changes.isEmpty()) {
			try {
				this.listener.onChanges(changes);
				this.counts.applied(changes.size());
			}
			catch (RuntimeException ex) {
				// the changes count as seen: without a reset they would be lost for good,
				// silently (the executor keeps what a task throws to itself)
				logger.error("Could not apply the changes of " + this.subject + " up to revision "
						+ this.revisions.revision() + "; reading it again", ex);
				reset(WatchListener.Reset.NOT_APPLIED, ex);
			}
		}
	}

	private void onCreated(WatchResponse created) {
		ClusterRestoreCheck.Verdict verdict;
		try {
			verdict = this.history.check(this.revisions.revision(), created.getHeader());
		}
		catch (RuntimeException ex) {
			logger.debug("Could not confirm the revision of " + this.subject + "; trying again later", ex);
			onBroken(ex);
			return;
		}
		if (verdict == ClusterRestoreCheck.Verdict.RESTORED) {
			reset(WatchListener.Reset.RESTORED, null);
			return;
		}
		if (this.retries.failedAttempts() > 0) {
			logger.info("Watching " + this.subject + " again from revision " + (this.revisions.revision() + 1));
			this.retries.attemptSucceeded();
		}
		this.counts.inPlace();
		this.listener.onWatching();
	}

	/**
	 * An error, or an end without one: a reset or a resume, as {@link BreakClassifier}
	 * judges it.
	 */
	private void onBroken(@Nullable Throwable error) {
		closeWatches();
		this.counts.broken();
		WatchListener.@Nullable Reset reset = this.breaks.classify(error, this.revisions.revision(),
				this.retries.failedAttempts());
		if (reset != null) {
			reset(reset, error);
			return;
		}
		retryLater(this::watchFrom);
	}

	private void reset(WatchListener.Reset reset, @Nullable Throwable cause) {
		closeWatches();
		this.counts.broken();
		this.counts.reset(reset);
		this.listener.onReset(reset, cause);
	}

	/**
	 * Close the watches but stay open, until the owner, having read again, calls
	 * {@link #start}. Any thread.
	 */
	public void closeWatches() {
		this.watches.close();
	}

}
