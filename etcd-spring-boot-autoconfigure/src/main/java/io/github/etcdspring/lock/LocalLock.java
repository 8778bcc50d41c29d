package io.github.etcdspring.lock;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.github.etcdspring.coordination.Hold;
import org.jspecify.annotations.Nullable;

/**
 * The exclusion of one lock name among the threads of this application, in front of etcd:
 * all of them contend with the same key (one per session lease), so only the thread
 * holding {@link #threads} may wait for or hold it there. Fair, so that local threads
 * take their turns in order, and re-entrant.
 *
 * @author etcd-spring-boot contributors
 */
final class LocalLock {

	final ReentrantLock threads = new ReentrantLock(true);

	/**
	 * The threads waiting for or holding this lock; it is forgotten at 0. Changed only
	 * inside the registry map's atomic compute of its name.
	 */
	int references;

	/**
	 * What is held in etcd while {@link #threads} is held; written only by the thread
	 * holding it, read by the endpoint.
	 */
	volatile @Nullable Holding holding;

	/**
	 * The threads in {@link EtcdLockRegistry}'s acquisition of this lock, and since when.
	 */
	final Map<Thread, Instant> waiters = new ConcurrentHashMap<>();

	/**
	 * Lock {@link #threads}.
	 * @param waitNanos {@link EtcdWait#FOREVER}, 0 for a try, or how long to wait
	 * @param interruptible whether an interrupt ends a wait as long as it takes
	 * @return whether locked
	 * @throws InterruptedException when interrupted while waiting
	 */
	boolean lock(long waitNanos, boolean interruptible) throws InterruptedException {
		if (waitNanos == EtcdWait.FOREVER) {
			if (interruptible) {
				this.threads.lockInterruptibly();
			}
			else {
				this.threads.lock();
			}
			return true;
		}
		return (waitNanos == 0) ? this.threads.tryLock() : this.threads.tryLock(waitNanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * A lock held in etcd by a thread of this application.
	 *
	 * @param hold what is held
	 * @param thread the holding thread
	 * @param since when it was acquired
	 * @param sinceNanos the same, as {@link System#nanoTime()}
	 */
	record Holding(Hold hold, Thread thread, Instant since, long sinceNanos) {

		static Holding now(Hold hold) {
			return new Holding(hold, Thread.currentThread(), Instant.now(), System.nanoTime());
		}

	}

}
