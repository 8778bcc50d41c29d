package io.github.etcdspring.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.etcd.jetcd.ByteSequence;
import io.github.etcdspring.test.ManualScheduler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the periodic check of the registration runs, in scheduler time. No etcd: the
 * registration checked is not registered, so the check reads nothing; the real-etcd tests
 * (EtcdServiceRegistryFaultTests) prove what it finds.
 */
class LossDetectorsTests {

	private final ManualScheduler scheduler = new ManualScheduler();

	private final List<Long> checkTimes = new ArrayList<>();

	private final LossDetectors detectors = new LossDetectors(null, null, new RegistryThread(this.scheduler), null,
			null, Duration.ofSeconds(10), new NotRegistered());

	@Test
	void theCheckRunsEveryCheckInterval() {
		this.detectors.startChecks();
		this.scheduler.advance(Duration.ofMillis(9_999));
		assertThat(this.checkTimes).isEmpty();
		this.scheduler.advance(Duration.ofMillis(1));
		assertThat(this.checkTimes).containsExactly(10_000L);
		this.scheduler.advance(Duration.ofSeconds(20));
		assertThat(this.checkTimes).containsExactly(10_000L, 20_000L, 30_000L);
	}

	@Test
	void startingTheChecksAgainKeepsOneCheck() {
		this.detectors.startChecks();
		this.scheduler.advance(Duration.ofSeconds(5));
		this.detectors.startChecks();
		assertThat(this.scheduler.pendingDelaysMillis()).containsExactly(5_000L);
		this.scheduler.advance(Duration.ofSeconds(25));
		assertThat(this.checkTimes).containsExactly(10_000L, 20_000L, 30_000L);
	}

	@Test
	void stoppingEndsTheChecksAndAllowsANewStart() {
		this.detectors.startChecks();
		this.scheduler.advance(Duration.ofSeconds(10));
		this.detectors.stopAll();
		this.scheduler.advance(Duration.ofMinutes(1));
		assertThat(this.checkTimes).containsExactly(10_000L);
		assertThat(this.scheduler.pendingDelaysMillis()).isEmpty();
		this.detectors.startChecks();
		this.scheduler.advance(Duration.ofSeconds(10));
		assertThat(this.checkTimes).containsExactly(10_000L, 80_000L);
	}

	/** Counts the checks: each one first asks whether the registration is registered. */
	private final class NotRegistered implements LossDetectors.Registration {

		@Override
		public boolean isRegistered() {
			LossDetectorsTests.this.checkTimes.add(LossDetectorsTests.this.scheduler.nowMillis());
			return false;
		}

		@Override
		public long leaseId() {
			return 0;
		}

		@Override
		public Collection<ByteSequence> keys() {
			return List.of();
		}

		@Override
		public void lost(long leaseId, ReregistrationReason reason, String description) {
			throw new AssertionError("Nothing is registered to lose");
		}

	}

}
