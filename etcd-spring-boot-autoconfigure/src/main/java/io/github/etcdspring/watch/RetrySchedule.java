package io.github.etcdspring.watch;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.github.etcdspring.client.RetryBackoff;
import org.jspecify.annotations.Nullable;

/**
 * When a {@link PrefixWatch}, or its owner, tries again: on the owner's executor, after
 * the jittered {@link RetryBackoff} delay for the attempts that failed in a row, and only
 * while the watch is open in the lifecycle the retry was scheduled in (each open and
 * close starts a new one), so that a retry scheduled before a close, from any thread,
 * starts nothing afterwards.
 *
 * @author etcd-spring-boot contributors
 */
final class RetrySchedule {

	private final ScheduledExecutorService executor;

	private final RetryBackoff retryBackoff;

	private final BooleanSupplier open;

	// Confined to the executor.
	private int failedAttempts;

	// Changed by each open() and close() of the watch: a retry scheduled before runs only
	// in the same lifecycle.
	private volatile long lifecycle;

	private volatile @Nullable ScheduledFuture<?> pendingRetry;

	/**
	 * A schedule on the owner's executor.
	 * @param executor runs the retries
	 * @param retryBackoff the delays between attempts
	 * @param open whether the watch is open
	 */
	RetrySchedule(ScheduledExecutorService executor, RetryBackoff retryBackoff, BooleanSupplier open) {
		this.executor = executor;
		this.retryBackoff = retryBackoff;
		this.open = open;
	}

	/**
	 * How many attempts failed in a row.
	 * @return the count
	 */
	int failedAttempts() {
		return this.failedAttempts;
	}

	/**
	 * Start the backoff from its first delay again.
	 */
	void attemptSucceeded() {
		this.failedAttempts = 0;
	}

	/**
	 * Start a new lifecycle: the retries scheduled before run nothing. Any thread.
	 */
	void newLifecycle() {
		this.lifecycle++;
	}

	/**
	 * The last retry scheduled.
	 * @return the retry, or {@code null} when none was
	 */
	@Nullable ScheduledFuture<?> pendingRetry() {
		return this.pendingRetry;
	}

	/**
	 * Cancel the last retry scheduled, without interrupting it. Any thread.
	 */
	void cancel() {
		ScheduledFuture<?> retry = this.pendingRetry;
		if (retry != null) {
			retry.cancel(false);
		}
	}

	/**
	 * Unless the watch is closed, run a task on the executor after the next backoff
	 * delay, if the watch is still open in the same lifecycle then; count the attempt as
	 * failed.
	 * @param task the task
	 */
	void later(Runnable task) {
		if (!this.open.getAsBoolean()) {
			return;
		}
		long lifecycleOfRetry = this.lifecycle;
		long delay = this.retryBackoff.delayMillis(this.failedAttempts);
		this.failedAttempts++;
		try {
			this.pendingRetry = this.executor.schedule(() -> {
				if (this.open.getAsBoolean() && this.lifecycle == lifecycleOfRetry) {
					task.run();
				}
			}, delay, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the owner shut its executor down
		}
	}

}
