package io.github.etcdspring.lock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdspring.coordination.HoldLostException;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.integration.leader.AbstractCandidate;
import org.springframework.integration.leader.Context;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link EtcdIntegrationLockRegistry} used by Spring Integration's own code, unchanged:
 * {@code executeLocked} and {@link LockRegistryLeaderInitiator}.
 */
class EtcdIntegrationLockRegistryTests {

	private static final Duration BOUND = Duration.ofSeconds(20);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final List<ConfigurableApplicationContext> apps = new CopyOnWriteArrayList<>();

	private final List<LockRegistryLeaderInitiator> initiators = new CopyOnWriteArrayList<>();

	@AfterEach
	void stop() {
		this.initiators.forEach(LockRegistryLeaderInitiator::destroy);
		this.apps.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void executeLockedRunsTheTaskUnderTheEtcdLockAndTimesOutWhileAnotherHolds() throws Exception {
		LockRegistry<?> registry = registry();
		String key = registry.executeLocked("job", () -> name(keys().get(0)));
		assertThat(key).startsWith("locks/job/");
		assertThat(keys()).isEmpty();
		Lock held = registry().obtain("job");
		held.lock();
		try {
			assertThatExceptionOfType(TimeoutException.class)
				.isThrownBy(() -> registry.executeLocked("job", Duration.ofMillis(200), () -> {
				}));
			assertThat(held.tryLock()).isTrue();
			held.unlock();
		}
		finally {
			held.unlock();
		}
		await().atMost(BOUND).until(() -> keys().isEmpty());
	}

	@Test
	void aLockLostWhileHeldFailsItsUnlockAndItsReentrantTry() throws Exception {
		Lock lock = registry().obtain("job");
		lock.lockInterruptibly();
		EtcdKeys.delete(etcd.client(), name(keys().get(0)));
		assertThatExceptionOfType(HoldLostException.class).isThrownBy(lock::tryLock).withMessageContaining("'job'");
		assertThatExceptionOfType(HoldLostException.class).isThrownBy(lock::unlock).withMessageContaining("'job'");
		assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(lock::unlock);
		assertThat(lock.tryLock()).isTrue();
		lock.unlock();
	}

	@Test
	void lockWaitsThroughAnInterruptAndLockInterruptiblyGivesUp() throws Exception {
		Lock held = registry().obtain("job");
		held.lock();
		Lock waiting = registry().obtain("job");
		AtomicBoolean interruptedAfterLocking = new AtomicBoolean();
		Thread uninterruptible = new Thread(() -> {
			waiting.lock();
			interruptedAfterLocking.set(Thread.currentThread().isInterrupted());
			waiting.unlock();
		});
		uninterruptible.start();
		await().atMost(BOUND).until(() -> keys().size() == 2);
		uninterruptible.interrupt();
		CompletableFuture<Void> interruptible = new CompletableFuture<>();
		Thread giving = new Thread(() -> {
			try {
				registry().obtain("job").lockInterruptibly();
				interruptible.complete(null);
			}
			catch (InterruptedException ex) {
				interruptible.completeExceptionally(ex);
			}
		});
		giving.start();
		await().atMost(BOUND).until(() -> keys().size() == 3);
		giving.interrupt();
		await().atMost(BOUND).until(interruptible::isDone);
		assertThat(interruptible).isCompletedExceptionally();
		await().atMost(BOUND).until(() -> keys().size() == 2);
		assertThat(uninterruptible.isAlive()).isTrue();
		held.unlock();
		uninterruptible.join(BOUND.toMillis());
		assertThat(uninterruptible.isAlive()).isFalse();
		assertThat(interruptedAfterLocking).isTrue();
		assertThat(keys()).isEmpty();
	}

	@Test
	void keysThatAreNotValidLockNamesAreRefused() {
		LockRegistry<?> registry = registry();
		assertThatIllegalArgumentException().isThrownBy(() -> registry.obtain(42)).withMessageContaining("String");
		assertThatIllegalArgumentException().isThrownBy(() -> registry.obtain("a/b")).withMessageContaining("'a/b'");
	}

	@Test
	void lockRegistryLeaderInitiatorsOfTwoApplicationsElectOneLeaderThatMovesWhenItStops() {
		RecordingCandidate first = new RecordingCandidate("first");
		RecordingCandidate second = new RecordingCandidate("second");
		LockRegistryLeaderInitiator firstInitiator = initiator(first);
		LockRegistryLeaderInitiator secondInitiator = initiator(second);
		await().atMost(BOUND).until(() -> first.leading() || second.leading());
		RecordingCandidate leader = first.leading() ? first : second;
		RecordingCandidate follower = (leader == first) ? second : first;
		// several heartbeats (500 ms) later, still one leader
		await().atMost(BOUND).pollInterval(Duration.ofMillis(500)).until(() -> leader.pollsFoundLeading() >= 3);
		assertThat(follower.leading()).isFalse();
		assertThat(leader.grants).hasSize(1);
		((leader == first) ? firstInitiator : secondInitiator).stop();
		await().atMost(BOUND).until(follower::leading);
		assertThat(leader.leading()).isFalse();
		assertThat(leader.revocations).hasSize(1);
	}

	@Test
	void theInitiatorRevokesLeadershipWhenItsLockIsLostAndLeadsAgainLater() throws Exception {
		RecordingCandidate candidate = new RecordingCandidate("only");
		initiator(candidate);
		await().atMost(BOUND).until(candidate::leading);
		String key = name(keys().get(0));
		EtcdKeys.delete(etcd.client(), key);
		await().atMost(BOUND).until(() -> candidate.revocations.size() == 1);
		await().atMost(BOUND).until(() -> candidate.grants.size() == 2);
		assertThat(keys()).singleElement().satisfies((again) -> assertThat(name(again)).isEqualTo(key));
	}

	private LockRegistryLeaderInitiator initiator(RecordingCandidate candidate) {
		LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(registry(), candidate);
		candidate.initiator = initiator;
		this.initiators.add(initiator);
		initiator.start();
		return initiator;
	}

	private LockRegistry<?> registry() {
		ConfigurableApplicationContext app = LockTestApplication.start(etcd);
		this.apps.add(app);
		return app.getBean(LockRegistry.class);
	}

	private List<KeyValue> keys() throws Exception {
		return etcd.client()
			.getKVClient()
			.get(ByteSequence.from("locks/job/", StandardCharsets.UTF_8), GetOption.builder().isPrefix(true).build())
			.get()
			.getKvs();
	}

	private static String name(KeyValue key) {
		return key.getKey().toString(StandardCharsets.UTF_8);
	}

	private static final class RecordingCandidate extends AbstractCandidate {

		final List<Context> grants = new CopyOnWriteArrayList<>();

		final List<Context> revocations = new CopyOnWriteArrayList<>();

		volatile LockRegistryLeaderInitiator initiator;

		private int pollsFoundLeading;

		RecordingCandidate(String id) {
			super(id, "job");
		}

		boolean leading() {
			return this.initiator.getContext().isLeader();
		}

		synchronized int pollsFoundLeading() {
			if (leading()) {
				this.pollsFoundLeading++;
			}
			return this.pollsFoundLeading;
		}

		@Override
		public void onGranted(Context context) {
			this.grants.add(context);
		}

		@Override
		public void onRevoked(Context context) {
			this.revocations.add(context);
		}

	}

}
