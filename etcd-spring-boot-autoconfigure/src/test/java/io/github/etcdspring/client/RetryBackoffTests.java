package io.github.etcdspring.client;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBackoffTests {

	private static final Duration DELAY = Duration.ofMillis(100);

	private static final Duration MAX_DELAY = Duration.ofSeconds(3);

	@Test
	void theLowestRandomValueWaitsHalfTheExponentialDelay() {
		RetryBackoff backoff = new RetryBackoff(DELAY, MAX_DELAY, () -> 0.0);
		assertThat(backoff.delayMillis(0)).isEqualTo(50);
		assertThat(backoff.delayMillis(1)).isEqualTo(100);
		assertThat(backoff.delayMillis(3)).isEqualTo(400);
		assertThat(backoff.delayMillis(5)).as("capped at max-delay").isEqualTo(1500);
	}

	@Test
	void theHighestRandomValueWaitsTheWholeExponentialDelay() {
		RetryBackoff backoff = new RetryBackoff(DELAY, MAX_DELAY, () -> 0.999999999);
		assertThat(backoff.delayMillis(0)).isEqualTo(100);
		assertThat(backoff.delayMillis(1)).isEqualTo(200);
		assertThat(backoff.delayMillis(4)).isEqualTo(1600);
		assertThat(backoff.delayMillis(5)).isEqualTo(3000);
		assertThat(backoff.delayMillis(Integer.MAX_VALUE)).as("no overflow").isEqualTo(3000);
	}

	@Test
	void aRandomValueInBetweenSpreadsTheDelayLinearly() {
		RetryBackoff backoff = new RetryBackoff(DELAY, MAX_DELAY, () -> 0.5);
		assertThat(backoff.delayMillis(0)).isEqualTo(75);
		assertThat(backoff.delayMillis(2)).isEqualTo(300);
	}

	@Test
	void theDefaultRandomSourceSpreadsClientsOverTheWholeRange() {
		RetryBackoff backoff = new RetryBackoff(DELAY, MAX_DELAY);
		Set<Long> delays = new HashSet<>();
		for (int i = 0; i < 200; i++) {
			long delay = backoff.delayMillis(2);
			assertThat(delay).isBetween(200L, 400L);
			delays.add(delay);
		}
		assertThat(delays).as("not in lockstep").hasSizeGreaterThan(20);
	}

	@Test
	void theSettingsOfEtcdRetryPairTheirDelayWithTheirMaxDelay() {
		EtcdProperties.Retry retry = new EtcdProperties.Retry();
		retry.setDelay(DELAY);
		retry.setMaxDelay(MAX_DELAY);
		RetryBackoff backoff = retry.backoff();
		assertThat(backoff.delay()).isEqualTo(DELAY);
		assertThat(backoff.maxDelay()).isEqualTo(MAX_DELAY);
	}

	@Test
	void aLongestDelayShorterThanTheFirstDelayIsRaisedToIt() {
		EtcdProperties.Retry retry = new EtcdProperties.Retry();
		retry.setDelay(MAX_DELAY);
		RetryBackoff backoff = retry.backoff(DELAY);
		assertThat(backoff.delay()).isEqualTo(MAX_DELAY);
		assertThat(backoff.maxDelay()).isEqualTo(MAX_DELAY);
	}

}
