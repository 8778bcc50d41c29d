package io.github.etcdspring.config;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.etcdspring.test.ManualScheduler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The windows of {@link BurstDebounce}, with a manual clock and scheduler: a change after
 * a quiet period runs at once, what follows within the period is coalesced into one
 * trailing run.
 */
class BurstDebounceTests {

	private final ManualScheduler scheduler = new ManualScheduler();

	private final AtomicLong nanos = new AtomicLong();

	private final AtomicInteger runs = new AtomicInteger();

	private final BurstDebounce debounce = new BurstDebounce(this.scheduler, Duration.ofMillis(100),
			Duration.ofMillis(300), this.runs::incrementAndGet, this.nanos::get);

	private void at(long millis) {
		this.nanos.set(Duration.ofMillis(millis).toNanos());
	}

	/**
	 * A change at time 0, run at once.
	 */
	private void leadingRunAtZero() {
		at(0);
		this.debounce.changed();
		this.scheduler.runDue();
		assertThat(this.runs).hasValue(1);
	}

	@Test
	void anIsolatedChangeRunsAtOnce() {
		at(0);
		this.debounce.changed();
		assertThat(this.scheduler.pendingDelays()).as("due now, without a quiet period").containsExactly(0L);
		this.scheduler.runDue();
		assertThat(this.runs).hasValue(1);
		assertThat(this.scheduler.pendingDelays()).isEmpty();
	}

	@Test
	void changesSeenBeforeTheLeadingRunAreCoveredByIt() {
		at(0);
		this.debounce.changed();
		this.debounce.changed();
		this.scheduler.runDue();
		assertThat(this.runs).hasValue(1);
		assertThat(this.scheduler.pendingDelays()).isEmpty();
	}

	@Test
	void changesRightAfterARunMakeOneTrailingRunOnceQuietForTheDelay() {
		leadingRunAtZero();
		for (int i = 1; i <= 50; i++) {
			at(2L * i);
			this.debounce.changed();
		}
		assertThat(this.runs).as("within the quiet period of the first run").hasValue(1);
		assertThat(this.scheduler.pendingDelays()).as("one check per burst").containsExactly(100L);
		at(102);
		assertThat(this.scheduler.runNextDelayed()).isEqualTo(100);
		assertThat(this.runs).as("a change 2ms ago").hasValue(1);
		assertThat(this.scheduler.pendingDelays()).containsExactly(98L);
		at(200);
		this.scheduler.runNextDelayed();
		assertThat(this.runs).as("the first change and the last of the burst").hasValue(2);
		assertThat(this.scheduler.pendingDelays()).isEmpty();
	}

	@Test
	void aTrailingBurstThatGoesOnEndsAtTheMaxDelay() {
		leadingRunAtZero();
		at(10);
		this.debounce.changed();
		at(100);
		this.debounce.changed();
		at(110);
		this.scheduler.runNextDelayed();
		at(190);
		this.debounce.changed();
		at(200);
		assertThat(this.scheduler.runNextDelayed()).isEqualTo(90);
		at(280);
		this.debounce.changed();
		at(290);
		assertThat(this.scheduler.runNextDelayed()).isEqualTo(90);
		assertThat(this.runs).hasValue(1);
		assertThat(this.scheduler.pendingDelays()).as("until 300ms after the burst's first change")
			.containsExactly(20L);
		at(310);
		this.scheduler.runNextDelayed();
		assertThat(this.runs).hasValue(2);
	}

	@Test
	void aChangeAfterTheQuietPeriodRunsAtOnceAgain() {
		leadingRunAtZero();
		at(100);
		this.debounce.changed();
		this.scheduler.runDue();
		assertThat(this.runs).hasValue(2);
		at(500);
		this.debounce.changed();
		this.scheduler.runDue();
		assertThat(this.runs).hasValue(3);
		assertThat(this.scheduler.pendingDelays()).isEmpty();
	}

	@Test
	void aChangeWithinTheQuietPeriodAfterATrailingRunWaits() {
		leadingRunAtZero();
		at(10);
		this.debounce.changed();
		at(110);
		this.scheduler.runNextDelayed();
		assertThat(this.runs).hasValue(2);
		at(150);
		this.debounce.changed();
		this.scheduler.runDue();
		assertThat(this.runs).as("the trailing run was 40ms ago").hasValue(2);
		assertThat(this.scheduler.pendingDelays()).containsExactly(100L);
	}

	@Test
	void theQuietPeriodStartsWhenARunEnds() {
		BurstDebounce slow = new BurstDebounce(this.scheduler, Duration.ofMillis(100), Duration.ofMillis(300), () -> {
			this.runs.incrementAndGet();
			at(500);
		}, this.nanos::get);
		at(0);
		slow.changed();
		this.scheduler.runDue();
		at(550);
		slow.changed();
		this.scheduler.runDue();
		assertThat(this.runs).as("50ms after the run ended at 500ms").hasValue(1);
		assertThat(this.scheduler.pendingDelays()).containsExactly(100L);
	}

	@Test
	void withoutADelayEveryChangeRunsAtOnce() {
		BurstDebounce immediate = new BurstDebounce(this.scheduler, Duration.ZERO, Duration.ZERO,
				this.runs::incrementAndGet, this.nanos::get);
		at(0);
		immediate.changed();
		this.scheduler.runDue();
		immediate.changed();
		this.scheduler.runDue();
		assertThat(this.runs).hasValue(2);
	}

}
