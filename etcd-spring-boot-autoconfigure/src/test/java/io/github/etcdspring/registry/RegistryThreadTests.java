package io.github.etcdspring.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.etcdspring.test.ManualScheduler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The registry thread's scheduling, in scheduler time. No etcd.
 */
class RegistryThreadTests {

	private final ManualScheduler scheduler = new ManualScheduler();

	private final RegistryThread thread = new RegistryThread(this.scheduler);

	private final List<Long> runTimes = new ArrayList<>();

	@Test
	void aPeriodicTaskThatFailsKeepsRunning() {
		this.thread.scheduleWithFixedDelay(() -> {
			this.runTimes.add(this.scheduler.nowMillis());
			throw new IllegalStateException("check failed");
		}, 100);
		this.scheduler.advance(Duration.ofMillis(350));
		assertThat(this.runTimes).containsExactly(100L, 200L, 300L);
	}

	@Test
	void aTaskThatFailsDoesNotStopTheNextOnes() {
		this.thread.execute(() -> {
			throw new IllegalStateException("callback failed");
		});
		this.thread.schedule(() -> this.runTimes.add(this.scheduler.nowMillis()), 20);
		this.scheduler.advance(Duration.ofMillis(20));
		assertThat(this.runTimes).containsExactly(20L);
	}

	@Test
	void callbacksQueuedAfterShutdownAreDropped() {
		this.thread.schedule(() -> this.runTimes.add(this.scheduler.nowMillis()), 20);
		this.thread.shutdown();
		assertThatNoException().isThrownBy(() -> this.thread.execute(() -> this.runTimes.add(-1L)));
		this.scheduler.advance(Duration.ofSeconds(1));
		assertThat(this.runTimes).isEmpty();
	}

}
