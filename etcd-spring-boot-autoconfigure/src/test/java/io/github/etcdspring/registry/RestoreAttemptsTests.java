package io.github.etcdspring.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.etcdspring.client.FixedJitter;
import io.github.etcdspring.test.ManualScheduler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The restore policy in scheduler time: which delays it asks for, when it gives up and
 * when it starts over. No etcd: the real-etcd tests (EtcdServiceRegistryFaultTests) prove
 * the restoration itself.
 */
class RestoreAttemptsTests {

	private final ManualScheduler scheduler = new ManualScheduler();

	private final RegistryThread thread = new RegistryThread(this.scheduler);

	private final EtcdServiceProperties.Retry retry = new EtcdServiceProperties.Retry();

	private final List<Long> attemptTimes = new ArrayList<>();

	/**
	 * Lowest jitter: each delay is half the exponential one, 50, 100, 200, ... capped at
	 * 1000 / 2.
	 */
	private RestoreAttempts attempts(Runnable restore) {
		return new RestoreAttempts(this.thread, this.retry,
				FixedJitter.backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 0.0), restore);
	}

	@Test
	void theNextAttemptWaitsTheBackoffOfTheFailuresSoFar() {
		RestoreAttempts attempts = attempts(() -> this.attemptTimes.add(this.scheduler.nowMillis()));
		attempts.failed();
		attempts.scheduleNext();
		assertThat(this.scheduler.pendingDelaysMillis()).containsExactly(50L);
		this.scheduler.advance(Duration.ofMillis(49));
		assertThat(this.attemptTimes).isEmpty();
		this.scheduler.advance(Duration.ofMillis(1));
		assertThat(this.attemptTimes).containsExactly(50L);
		attempts.failed();
		attempts.scheduleNext();
		assertThat(this.scheduler.pendingDelaysMillis()).containsExactly(100L);
		attempts.failed();
		attempts.cancel();
		attempts.scheduleNext();
		assertThat(this.scheduler.pendingDelaysMillis()).as("one attempt scheduled at a time").containsExactly(200L);
	}

	@Test
	void failedAttemptsBackOffUntilTheMaxAttemptsRunOut() {
		this.retry.setMaxAttempts(4);
		RestoreAttempts[] holder = new RestoreAttempts[1];
		// What Restoration.restore() does with a restoration that keeps failing.
		holder[0] = attempts(() -> {
			this.attemptTimes.add(this.scheduler.nowMillis());
			if (!holder[0].failed()) {
				holder[0].scheduleNext();
			}
		});
		assertThat(holder[0].failed()).as("the first registration failed").isFalse();
		holder[0].scheduleNext();
		this.scheduler.advance(Duration.ofMinutes(1));
		assertThat(this.attemptTimes).as("after 50, 100 and 200 ms").containsExactly(50L, 150L, 350L);
		assertThat(holder[0].failedCount()).isEqualTo(4);
		assertThat(this.scheduler.pendingDelaysMillis()).as("gave up: nothing scheduled").isEmpty();
	}

	@Test
	void theDelayStopsGrowingAtTheLongestDelay() {
		RestoreAttempts attempts = attempts(() -> {
		});
		List<Long> delays = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			attempts.failed();
			attempts.cancel();
			attempts.scheduleNext();
			delays.addAll(this.scheduler.pendingDelaysMillis());
		}
		assertThat(delays).containsExactly(50L, 100L, 200L, 400L, 500L, 500L, 500L, 500L);
	}

	@Test
	void withoutMaxAttemptsTheAttemptsNeverRunOut() {
		RestoreAttempts attempts = attempts(() -> {
		});
		for (int i = 0; i < 1000; i++) {
			assertThat(attempts.failed()).isFalse();
		}
		assertThat(attempts.failedCount()).isEqualTo(1000);
	}

	@Test
	void aSuccessCountsItselfAndStartsOver() {
		this.retry.setMaxAttempts(3);
		RestoreAttempts attempts = attempts(() -> {
		});
		attempts.failed();
		attempts.failed();
		assertThat(attempts.succeeded()).as("two failures, then the attempt that worked").isEqualTo(3);
		assertThat(attempts.failedCount()).isZero();
		assertThat(attempts.failed()).as("the next loss gets all its attempts again").isFalse();
		attempts.scheduleNext();
		assertThat(this.scheduler.pendingDelaysMillis()).as("and the first delay again").containsExactly(50L);
	}

	@Test
	void resetForgetsTheFailures() {
		this.retry.setMaxAttempts(2);
		RestoreAttempts attempts = attempts(() -> {
		});
		attempts.failed();
		attempts.reset();
		assertThat(attempts.failed()).isFalse();
		assertThat(attempts.failed()).isTrue();
	}

	@Test
	void aCancelledAttemptDoesNotRun() {
		RestoreAttempts attempts = attempts(() -> this.attemptTimes.add(this.scheduler.nowMillis()));
		attempts.failed();
		attempts.scheduleNext();
		attempts.cancel();
		this.scheduler.advance(Duration.ofMinutes(1));
		assertThat(this.attemptTimes).isEmpty();
		assertThat(this.scheduler.pendingDelaysMillis()).isEmpty();
		attempts.cancel();
	}

}
