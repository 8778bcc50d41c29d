package io.github.etcdspring.client;

import java.time.Duration;

/**
 * How a task of the starter tries etcd again: how many attempts, and the first delay of a
 * {@link RetryBackoff} that doubles after each failed attempt. The one retry settings
 * type of the starter, bound under two prefixes:
 * <ul>
 * <li>{@code etcd.retry} ({@link EtcdProperties.Retry}): requests of the client and the
 * background watches, which add the longest delay and a time limit;</li>
 * <li>{@code service.retry} ({@code EtcdServiceProperties.Retry}): restoring a lost
 * registration, which backs off up to {@code etcd.retry.max-delay} and adds how often the
 * registration is checked.</li>
 * </ul>
 * Each prefix sets its own defaults, and counts its attempts its own way (retries after a
 * first request; restore attempts, 0 for no limit). The configuration processor reads one
 * description and one default per field, so the description and default of
 * {@code max-attempts} and {@code delay} under each prefix are in
 * {@code META-INF/additional-spring-configuration-metadata.json}; keep them in step with
 * the defaults passed to the constructor.
 *
 * @author etcd-spring-boot contributors
 */
public class RetrySettings {

	/**
	 * How many attempts are made; what is counted, and what 0 means, depends on the
	 * prefix.
	 */
	private int maxAttempts;

	/**
	 * Delay before the first retry; later retries back off, with jitter, up to a longest
	 * delay.
	 */
	private Duration delay;

	/**
	 * Settings with the defaults of one prefix.
	 * @param maxAttempts the default of {@code max-attempts}
	 * @param delay the default of {@code delay}
	 */
	protected RetrySettings(int maxAttempts, Duration delay) {
		this.maxAttempts = maxAttempts;
		this.delay = delay;
	}

	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	public void setMaxAttempts(int maxAttempts) {
		this.maxAttempts = maxAttempts;
	}

	public Duration getDelay() {
		return this.delay;
	}

	public void setDelay(Duration delay) {
		this.delay = delay;
	}

	/**
	 * The backoff these settings start: {@code delay}, doubled after each failed attempt
	 * up to {@code maxDelay}.
	 * @param maxDelay the longest delay; the delay itself when shorter
	 * @return the backoff
	 */
	public RetryBackoff backoff(Duration maxDelay) {
		return new RetryBackoff(this.delay, (maxDelay.compareTo(this.delay) > 0) ? maxDelay : this.delay);
	}

}
