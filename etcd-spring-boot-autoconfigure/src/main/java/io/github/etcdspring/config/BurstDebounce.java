package io.github.etcdspring.config;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Runs an action once a burst of changes ends: {@code delay} without a change, or
 * {@code maxDelay} after its first change, whichever comes first. Confined to one
 * single-threaded executor.
 *
 * @author etcd-spring-boot contributors
 */
final class BurstDebounce {

	private final ScheduledExecutorService executor;

	private final long delayNanos;

	private final long maxDelayNanos;

	private final Runnable action;

	private final LongSupplier nanoTime;

	private long burstStartedAt;

	private long lastChangeAt;

	private @Nullable ScheduledFuture<?> pending;

	BurstDebounce(ScheduledExecutorService executor, Duration delay, Duration maxDelay, Runnable action) {
		this(executor, delay, maxDelay, action, System::nanoTime);
	}

	BurstDebounce(ScheduledExecutorService executor, Duration delay, Duration maxDelay, Runnable action,
			LongSupplier nanoTime) {
		this.executor = executor;
		this.delayNanos = delay.toNanos();
		this.maxDelayNanos = maxDelay.toNanos();
		this.action = action;
		this.nanoTime = nanoTime;
	}

	/**
	 * A change: start a burst, or extend the one under way.
	 */
	void changed() {
		long now = this.nanoTime.getAsLong();
		if (this.pending == null) {
			this.burstStartedAt = now;
			this.pending = this.executor.schedule(this::runWhenQuiet, this.delayNanos, TimeUnit.NANOSECONDS);
		}
		this.lastChangeAt = now;
	}

	private void runWhenQuiet() {
		long now = this.nanoTime.getAsLong();
		long quietUntil = this.lastChangeAt + this.delayNanos;
		long latest = this.burstStartedAt + this.maxDelayNanos;
		if (now < quietUntil && now < latest) {
			this.pending = this.executor.schedule(this::runWhenQuiet, Math.min(quietUntil, latest) - now,
					TimeUnit.NANOSECONDS);
			return;
		}
		this.pending = null;
		this.action.run();
	}

}
