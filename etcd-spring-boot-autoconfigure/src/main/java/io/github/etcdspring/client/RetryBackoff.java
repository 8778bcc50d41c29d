package io.github.etcdspring.client;

import java.time.Duration;

/**
 * How long the starter's background tasks wait before trying etcd again: {@code etcd.retry.delay}, doubled after each
 * failed attempt, at most {@code etcd.retry.max-delay}.
 *
 * @param delay the first delay
 * @param maxDelay the longest delay
 * @author etcd-spring-boot contributors
 */
public record RetryBackoff(Duration delay, Duration maxDelay) {

	/**
	 * The delay before the next attempt.
	 * @param failedAttempts how many attempts failed in a row
	 * @return the delay in milliseconds
	 */
	public long delayMillis(int failedAttempts) {
		return Math.min(this.maxDelay.toMillis(), this.delay.toMillis() * (1L << Math.min(failedAttempts, 10)));
	}

}
