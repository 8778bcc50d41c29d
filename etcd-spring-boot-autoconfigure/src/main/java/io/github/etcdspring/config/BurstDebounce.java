package io.github.etcdspring.config;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Runs an action for changes, at most about once per {@code delay}: a change after a
 * quiet period (no run within the last {@code delay}) runs it at once; the changes that
 * follow within the period make a burst that runs it once more when it ends:
 * {@code delay} without a change, or {@code maxDelay} after its first change, whichever
 * comes first. So an isolated change is applied without waiting, and a burst of changes
 * makes two runs: its first change, and all the rest. The quiet period counts from the
 * end of a run. Confined to one single-threaded executor.
 *
 * @author etcd-spring-boot contributors
 */
final class BurstDebounce {

	private final ScheduledExecutorService executor;

	private final long delayNanos;

	private final long maxDelayNanos;

	private final Runnable action;

	private final LongSupplier nanoTime;

	private boolean ranBefore;

	private long lastRunEndedAt;

	private long burstStartedAt;

	private long lastChangeAt;

	private @Nullable ScheduledFuture<?> pending;

	/**
	 * A debounce of {@code etcd.config.watch.delay} and {@code max-delay}, a
	 * {@code max-delay} shorter than the delay being the delay.
	 * @throws InvalidConfigurationPropertyValueException naming a negative delay
	 */
	static BurstDebounce of(ScheduledExecutorService executor, EtcdConfigProperties.Watch properties, Runnable action) {
		Duration delay = notNegative("delay", properties.getDelay());
		Duration maxDelay = notNegative("max-delay", properties.getMaxDelay());
		return new BurstDebounce(executor, delay, (maxDelay.compareTo(delay) > 0) ? maxDelay : delay, action,
				System::nanoTime);
	}

	BurstDebounce(ScheduledExecutorService executor, Duration delay, Duration maxDelay, Runnable action,
			LongSupplier nanoTime) {
		this.executor = executor;
		this.delayNanos = delay.toNanos();
		this.maxDelayNanos = maxDelay.toNanos();
		this.action = action;
		this.nanoTime = nanoTime;
	}

	private static Duration notNegative(String property, @Nullable Duration value) {
		if (value == null || value.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(EtcdConfigProperties.PREFIX + ".watch." + property,
					value, "Must be a duration of zero or more, e.g. 50ms");
		}
		return value;
	}

	/**
	 * A change: run at once after a quiet period, else start a burst, or extend the one
	 * under way. A run already due covers the change.
	 */
	void changed() {
		long now = this.nanoTime.getAsLong();
		this.lastChangeAt = now;
		if (this.pending != null) {
			return;
		}
		if (!this.ranBefore || now - this.lastRunEndedAt >= this.delayNanos) {
			// on the executor rather than in the caller, a watch listener
			this.pending = this.executor.schedule(this::runNow, 0, TimeUnit.NANOSECONDS);
			return;
		}
		this.burstStartedAt = now;
		this.pending = this.executor.schedule(this::runWhenQuiet, this.delayNanos, TimeUnit.NANOSECONDS);
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
		runNow();
	}

	private void runNow() {
		this.pending = null;
		try {
			this.action.run();
		}
		finally {
			this.ranBefore = true;
			this.lastRunEndedAt = this.nanoTime.getAsLong();
		}
	}

}
