package io.github.etcdspring.client;

import java.time.Duration;

/**
 * Retry backoffs whose jitter is fixed, for tests of other packages that assert the
 * delays they ask for.
 *
 * @author etcd-spring-boot contributors
 */
public final class FixedJitter {

	private FixedJitter() {
	}

	/**
	 * A backoff that always draws the same random value.
	 * @param delay the first delay
	 * @param maxDelay the longest delay
	 * @param random the value drawn, from 0 (inclusive) to 1 (exclusive): 0 waits half
	 * the exponential delay
	 * @return the backoff
	 */
	public static RetryBackoff backoff(Duration delay, Duration maxDelay, double random) {
		return new RetryBackoff(delay, maxDelay, () -> random);
	}

}
