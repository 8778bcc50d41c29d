package io.github.etcdspring.config;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.etcdspring.test.ManualScheduler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The windows of {@link BurstDebounce}, with a manual clock and scheduler.
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

	@Test
	void aBurstEndsOnceQuietForTheDelay() {
		at(0);
		this.debounce.changed();
		at(50);
		this.debounce.changed();
		assertThat(this.scheduler.pendingDelays()).as("one check per burst").containsExactly(100L);
		at(100);
		assertThat(this.scheduler.runNextDelayed()).isEqualTo(100);
		assertThat(this.runs).as("a change 50ms ago").hasValue(0);
		assertThat(this.scheduler.pendingDelays()).containsExactly(50L);
		at(150);
		this.scheduler.runNextDelayed();
		assertThat(this.runs).hasValue(1);
		assertThat(this.scheduler.pendingDelays()).isEmpty();
	}

	@Test
	void aBurstThatGoesOnEndsAtTheMaxDelay() {
		at(0);
		this.debounce.changed();
		at(90);
		this.debounce.changed();
		at(100);
		this.scheduler.runNextDelayed();
		at(180);
		this.debounce.changed();
		at(190);
		assertThat(this.scheduler.runNextDelayed()).isEqualTo(90);
		at(270);
		this.debounce.changed();
		at(280);
		assertThat(this.scheduler.runNextDelayed()).isEqualTo(90);
		assertThat(this.runs).hasValue(0);
		assertThat(this.scheduler.pendingDelays()).as("until 300ms after the first change").containsExactly(20L);
		at(300);
		this.scheduler.runNextDelayed();
		assertThat(this.runs).hasValue(1);
	}

	@Test
	void aChangeAfterABurstStartsAnother() {
		at(0);
		this.debounce.changed();
		at(100);
		this.scheduler.runNextDelayed();
		at(500);
		this.debounce.changed();
		at(600);
		this.scheduler.runNextDelayed();
		assertThat(this.runs).hasValue(2);
	}

}
