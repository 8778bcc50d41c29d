package io.github.etcdspring.registry;

import java.util.concurrent.ScheduledFuture;

import io.github.etcdspring.client.RetryBackoff;
import org.jspecify.annotations.Nullable;

/**
 * When to try restoring the registration again: after a growing, jittered delay
 * ({@link RetryBackoff}) per failed attempt, until the attempts run out
 * ({@code service.retry.max-attempts}, none for no limit). It counts the failed attempts
 * and holds the one scheduled attempt. Confined to the registry thread.
 *
 * @author etcd-spring-boot contributors
 */
class RestoreAttempts {

	private final RegistryThread thread;

	private final EtcdServiceProperties.Retry retry;

	private final RetryBackoff retryBackoff;

	private final Runnable restore;

	private int failed;

	private @Nullable ScheduledFuture<?> next;

	/**
	 * @param restore the attempt, run on the registry thread
	 */
	RestoreAttempts(RegistryThread thread, EtcdServiceProperties.Retry retry, RetryBackoff retryBackoff,
			Runnable restore) {
		this.thread = thread;
		this.retry = retry;
		this.retryBackoff = retryBackoff;
		this.restore = restore;
	}

	/**
	 * Forget the failed attempts: the next failure is the first.
	 */
	void reset() {
		this.failed = 0;
	}

	/**
	 * Count a failed attempt.
	 * @return whether the attempts ran out
	 */
	boolean failed() {
		this.failed++;
		return this.retry.getMaxAttempts() > 0 && this.failed >= this.retry.getMaxAttempts();
	}

	/**
	 * Count a successful attempt, forgetting the failed ones.
	 * @return the attempts it took
	 */
	int succeeded() {
		int attempts = this.failed + 1;
		this.failed = 0;
		return attempts;
	}

	int failedCount() {
		return this.failed;
	}

	/**
	 * Schedule the next attempt after the delay the failed attempts call for.
	 */
	void scheduleNext() {
		this.next = this.thread.schedule(this.restore, this.retryBackoff.delayMillis(this.failed - 1));
	}

	/**
	 * Cancel the scheduled attempt, if any.
	 */
	void cancel() {
		if (this.next != null) {
			this.next.cancel(false);
			this.next = null;
		}
	}

}
