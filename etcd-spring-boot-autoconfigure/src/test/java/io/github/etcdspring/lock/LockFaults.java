package io.github.etcdspring.lock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.etcdspring.coordination.HoldLostException;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Applications contending for the lock {@code job} through an etcd fault, and the checks
 * every fault must pass: never two holders as etcd sees them, a lost holder told, its
 * unlock reporting the loss, and later acquisitions working on a new session.
 */
final class LockFaults implements AutoCloseable {

	/** Generous: a loss must be told within one session TTL (2s). */
	static final Duration BOUND = Duration.ofSeconds(30);

	private final EtcdCluster etcd;

	private final List<ConfigurableApplicationContext> apps = new CopyOnWriteArrayList<>();

	private final List<Contender> contenders = new CopyOnWriteArrayList<>();

	LockFaults(EtcdCluster etcd) {
		this.etcd = etcd;
	}

	/**
	 * A new application with its own session.
	 * @return its locks
	 */
	EtcdLockRegistry locks() {
		ConfigurableApplicationContext app = LockTestApplication.start(this.etcd);
		this.apps.add(app);
		return LockTestApplication.locks(app);
	}

	/**
	 * Acquire {@code job} on a thread of its own, waiting as long as it takes;
	 * acquisitions that fail because etcd is unreachable or the session was lost while
	 * waiting are tried again, for at most {@link #BOUND}.
	 * @param locks the locks
	 * @return the contender
	 */
	Contender contender(EtcdLockRegistry locks) {
		Contender contender = new Contender(locks);
		this.contenders.add(contender);
		return contender;
	}

	/**
	 * A contender on a thread of its own, which unlocks what it acquired.
	 */
	static final class Contender {

		private final ExecutorService thread = Executors.newSingleThreadExecutor();

		private final Future<EtcdLock> acquired;

		Contender(EtcdLockRegistry locks) {
			this.acquired = this.thread.submit(() -> retried(() -> locks.lock("job")));
		}

		boolean holds() {
			return this.acquired.isDone();
		}

		Watched awaitLock() throws Exception {
			return Watched.of(this.acquired.get(BOUND.toSeconds(), TimeUnit.SECONDS));
		}

		void unlock() throws Exception {
			this.thread.submit(() -> {
				this.acquired.get().unlock();
				return null;
			}).get(BOUND.toSeconds(), TimeUnit.SECONDS);
		}

	}

	/**
	 * A lock held and watched for its loss.
	 */
	record Watched(EtcdLock lock, List<String> losses) {

		static Watched of(EtcdLock lock) {
			List<String> losses = new CopyOnWriteArrayList<>();
			lock.onLoss(losses::add);
			return new Watched(lock, losses);
		}

		boolean toldLost() {
			return !this.losses.isEmpty();
		}

		/**
		 * Held as far as this application knows and as etcd says (asking etcd tells a
		 * loss it finds).
		 */
		boolean heldInEtcd() {
			try {
				return this.lock.verify();
			}
			catch (RuntimeException ex) {
				return false;
			}
		}

		/**
		 * Whether its key is in etcd with its create revision, read by another client:
		 * held as etcd sees it, whatever the application knows.
		 */
		boolean keyInEtcd(EtcdCluster etcd) {
			return EtcdKeys.await(etcd.client().getKVClient().get(EtcdKeys.bytes(this.lock.key())))
				.getKvs()
				.stream()
				.anyMatch((key) -> key.getCreateRevision() == this.lock.fencingToken());
		}

		/**
		 * Unlocking a lock told lost says so; one not told may still find it lost (its
		 * key gone before the watch told), and must say so too.
		 */
		void unlockReportingAnyLoss() {
			if (toldLost()) {
				assertThatExceptionOfType(HoldLostException.class).isThrownBy(this.lock::unlock)
					.withMessageContaining("'job' was lost");
				return;
			}
			try {
				this.lock.unlock();
			}
			catch (HoldLostException ex) {
				assertThat(ex).hasMessageContaining("'job' was lost");
			}
		}

	}

	/**
	 * At most one of the locks is held as etcd sees it (its key there with its create
	 * revision), and one that is not was told so.
	 * @param locks the locks
	 */
	void assertAtMostOneHolderAndLossesTold(Watched... locks) {
		List<Watched> heldInEtcd = List.of(locks).stream().filter((lock) -> lock.keyInEtcd(this.etcd)).toList();
		assertThat(heldInEtcd).hasSizeLessThanOrEqualTo(1);
		for (Watched lock : locks) {
			if (!heldInEtcd.contains(lock) && lock.lock().isHeld()) {
				await().atMost(BOUND).until(lock::toldLost);
			}
		}
	}

	/**
	 * The earlier holder's next acquisition works, on a new session lease when it was
	 * told its lock was lost.
	 * @param locks its locks
	 * @param earlier the lock it held
	 */
	void assertTheNextLockWorks(EtcdLockRegistry locks, Watched earlier) throws Exception {
		try (EtcdLock again = retried(() -> locks.lock("job"))) {
			if (earlier.toldLost()) {
				assertThat(again.key()).as("the key of a new session").isNotEqualTo(earlier.lock().key());
			}
			assertThat(again.verify()).isTrue();
		}
	}

	private static <T> T retried(Callable<T> acquisition) throws Exception {
		long deadline = System.nanoTime() + BOUND.toNanos();
		while (true) {
			try {
				return acquisition.call();
			}
			catch (RuntimeException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
			}
		}
	}

	@Override
	public void close() {
		this.contenders.forEach((contender) -> contender.thread.shutdownNow());
		this.apps.forEach(ConfigurableApplicationContext::close);
	}

}
