package io.github.etcdspring.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long the starter's background tasks wait before trying etcd again:
 * {@code etcd.retry.delay}, doubled after each failed attempt, at most
 * {@code etcd.retry.max-delay}, with "equal jitter": a random delay between half of that
 * and all of it, so that a fleet that lost etcd at the same moment does not retry in
 * lockstep.
 *
 * @author etcd-spring-boot contributors
 */
public final class RetryBackoff {

	private final Duration delay;

	private final Duration maxDelay;

	private final DoubleSupplier random;

	/**
	 * A backoff with random jitter.
	 * @param delay the first delay
	 * @param maxDelay the longest delay
	 */
	public RetryBackoff(Duration delay, Duration maxDelay) {
		this(delay, maxDelay, () -> ThreadLocalRandom.current().nextDouble());
	}

	/**
	 * A backoff with the given source of jitter.
	 * @param delay the first delay
	 * @param maxDelay the longest delay
	 * @param random values from 0 (inclusive) to 1 (exclusive)
	 */
	RetryBackoff(Duration delay, Duration maxDelay, DoubleSupplier random) {
		this.delay = delay;
		this.maxDelay = maxDelay;
		this.random = random;
	}

	public Duration delay() {
		return this.delay;
	}

	public Duration maxDelay() {
		return this.maxDelay;
	}

	/**
	 * The delay before the next attempt.
	 * @param failedAttempts how many attempts failed in a row
	 * @return the delay in milliseconds, from half the exponential delay to all of it
	 */
	public long delayMillis(int failedAttempts) {
		long ceiling = Math.min(this.maxDelay.toMillis(),
				this.delay.toMillis() * (1L << Math.min(Math.max(failedAttempts, 0), 10)));
		long half = ceiling / 2;
		double jitter = Math.min(Math.max(this.random.getAsDouble(), 0), 1);
		return half + Math.round(jitter * (ceiling - half));
	}

	@Override
	public String toString() {
		return "RetryBackoff[delay=" + this.delay + ", maxDelay=" + this.maxDelay + ", equal jitter]";
	}

}
