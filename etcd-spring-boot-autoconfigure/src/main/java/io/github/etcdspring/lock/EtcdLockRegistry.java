package io.github.etcdspring.lock;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

import io.github.etcdspring.coordination.ContenderQueue;
import io.github.etcdspring.coordination.EtcdCoordinator;
import io.github.etcdspring.coordination.Hold;
import io.github.etcdspring.coordination.HoldLostException;
import io.github.etcdspring.lock.LocalLock.Holding;
import io.github.etcdspring.lock.LockActivity.Attempt;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Distributed locks, shared with Go programs ({@code concurrency.Mutex}) and
 * {@code etcdctl lock} on the same names: the lock {@code NAME} is held by the oldest key
 * under {@code {etcd.namespace}{etcd.lock.prefix}/NAME/}, each contender writing one key
 * named after its session lease in lowercase hexadecimal. The session lease is the
 * application's one ({@code etcd.coordination.session-ttl}): a process that dies releases
 * its locks after that TTL, and a holder cut off from etcd is told its locks are lost
 * within it.
 * <p>
 * The threads of this application exclude each other on a name as processes do, fairly,
 * and a thread holding a lock may acquire it again (each acquisition is unlocked once). A
 * re-entrant acquisition asks etcd whether the key is still there, and fails with
 * {@link HoldLostException} if the lock was lost. A waiter that gives up (timed out,
 * interrupted) has its key deleted, retried in the background until done or its session
 * lease is gone, so that it never becomes a holder nobody waits for.
 * <p>
 * The local exclusion lives in this registry: an application has one per coordinator and
 * prefix (the auto-configured bean, which Spring Integration's view shares), or threads
 * of two registries would share a key.
 * <p>
 * {@link #lock} is interruptible, as
 * {@link java.util.concurrent.locks.Lock#lockInterruptibly}: a wait for a lock may be
 * long, and a thread must be able to stop it at shutdown. Names must not be empty nor
 * hold a '/' or a control character ({@link IllegalArgumentException}).
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdLockRegistry {

	private static final byte[] NO_VALUE = new byte[0];

	private static final long FOREVER = EtcdWait.FOREVER;

	private final EtcdCoordinator coordinator;

	private final String prefix;

	private final Duration requestTimeout;

	private final LocalLocks localLocks = new LocalLocks();

	private final LockActivity activity;

	/**
	 * Locks whose acquisitions are not observed.
	 * @param coordinator the engine
	 * @param prefix the prefix of every lock's keys, e.g. {@code locks}
	 * @param requestTimeout how long {@link #tryLock(String)} waits for etcd's answer
	 */
	public EtcdLockRegistry(EtcdCoordinator coordinator, String prefix, Duration requestTimeout) {
		this(coordinator, prefix, requestTimeout, ObservationRegistry.NOOP);
	}

	/**
	 * @param coordinator the engine
	 * @param prefix the prefix of every lock's keys, e.g. {@code locks}
	 * @param requestTimeout how long {@link #tryLock(String)} waits for etcd's answer
	 * @param observations where each acquisition in etcd is observed as
	 * {@code etcd.lock.acquire}
	 */
	public EtcdLockRegistry(EtcdCoordinator coordinator, String prefix, Duration requestTimeout,
			ObservationRegistry observations) {
		this.coordinator = coordinator;
		this.prefix = prefix;
		this.requestTimeout = requestTimeout;
		this.activity = new LockActivity(observations);
	}

	/**
	 * Acquire a lock, waiting as long as it takes.
	 * @param name the lock name
	 * @return the lock, held by this thread
	 * @throws InterruptedException when interrupted while waiting; the wait is given up
	 * and its key deleted
	 * @throws HoldLostException when the session lease was lost while waiting, or this
	 * thread holds the lock already and it was lost
	 * @throws IllegalArgumentException when the name is not a valid lock name
	 */
	public EtcdLock lock(String name) throws InterruptedException {
		return Objects.requireNonNull(acquire(name, FOREVER, true));
	}

	/**
	 * Acquire a lock only if it is free: one round trip to etcd, not waiting for any
	 * holder.
	 * @param name the lock name
	 * @return the lock, held by this thread; {@code null} when another thread or process
	 * holds it
	 * @throws HoldLostException when this thread holds the lock already and it was lost
	 * @throws RuntimeException when etcd did not answer in time
	 */
	public @Nullable EtcdLock tryLock(String name) {
		try {
			return acquire(name, 0, false);
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException("A try is not interrupted", ex);
		}
	}

	/**
	 * Acquire a lock, waiting at most {@code wait}.
	 * @param name the lock name
	 * @param wait how long to wait for it; zero or less tries once
	 * @return the lock, held by this thread; {@code null} when not acquired in time, its
	 * key deleted
	 * @throws InterruptedException when interrupted while waiting; the wait is given up
	 * and its key deleted
	 * @throws HoldLostException when the session lease was lost while waiting, or this
	 * thread holds the lock already and it was lost
	 */
	public @Nullable EtcdLock tryLock(String name, Duration wait) throws InterruptedException {
		return (!wait.isNegative() && !wait.isZero()) ? acquire(name, wait.toNanos(), true) : tryLock(name);
	}

	/**
	 * Run a task under a lock, waiting for it as long as {@link #lock} does.
	 * @param <T> the result type
	 * @param name the lock name
	 * @param task the task
	 * @return its result
	 * @throws HoldLostException when the lock was lost while the task ran (added to the
	 * task's own failure as suppressed)
	 * @throws Exception the task's failure
	 */
	public <T> T executeLocked(String name, Callable<T> task) throws Exception {
		try (EtcdLock lock = lock(name)) {
			return task.call();
		}
	}

	/**
	 * Run a task under a lock, waiting for it as long as {@link #lock} does.
	 * @param name the lock name
	 * @param task the task
	 * @throws InterruptedException when interrupted while waiting
	 * @throws HoldLostException when the lock was lost while the task ran
	 */
	public void executeLocked(String name, Runnable task) throws InterruptedException {
		try (EtcdLock lock = lock(name)) {
			task.run();
		}
	}

	/**
	 * Run a task under a lock, waiting for it at most {@code wait}.
	 * @param <T> the result type
	 * @param name the lock name
	 * @param wait how long to wait for the lock
	 * @param task the task
	 * @return its result
	 * @throws TimeoutException when the lock was not acquired in time; the task did not
	 * run
	 * @throws HoldLostException when the lock was lost while the task ran
	 * @throws Exception the task's failure
	 */
	public <T> T executeLocked(String name, Duration wait, Callable<T> task) throws Exception {
		try (EtcdLock lock = tryLock(name, wait)) {
			if (lock == null) {
				throw notAcquired(name, wait);
			}
			return task.call();
		}
	}

	/**
	 * Run a task under a lock, waiting for it at most {@code wait}.
	 * @param name the lock name
	 * @param wait how long to wait for the lock
	 * @param task the task
	 * @throws TimeoutException when the lock was not acquired in time; the task did not
	 * run
	 * @throws InterruptedException when interrupted while waiting
	 * @throws HoldLostException when the lock was lost while the task ran
	 */
	public void executeLocked(String name, Duration wait, Runnable task) throws InterruptedException, TimeoutException {
		try (EtcdLock lock = tryLock(name, wait)) {
			if (lock == null) {
				throw notAcquired(name, wait);
			}
			task.run();
		}
	}

	/**
	 * The queue of a lock name, the name checked.
	 * @param name the name
	 * @return its queue
	 * @throws IllegalArgumentException when the name is not a valid lock name
	 */
	ContenderQueue queue(String name) {
		return new ContenderQueue(this.prefix, name);
	}

	/**
	 * Acquire a lock the way {@link java.util.concurrent.locks.Lock#lock()} does: waiting
	 * through interrupts, the thread's interrupt status set again at the end.
	 */
	EtcdLock lockUninterruptibly(String name) {
		try {
			return Objects.requireNonNull(acquire(name, FOREVER, false));
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException("An uninterruptible wait was interrupted", ex);
		}
	}

	/**
	 * Unlock once the lock of a name held by this thread.
	 * @throws IllegalMonitorStateException when this thread does not hold it
	 */
	void unlockHeldByCurrentThread(String name) {
		LocalLock local = this.localLocks.get(name);
		if (local == null) {
			throw notHeld(name);
		}
		checkOwner(name, local);
		unlock(name, local);
	}

	void checkOwner(String name, LocalLock local) {
		if (!local.threads.isHeldByCurrentThread()) {
			throw notHeld(name);
		}
	}

	void unlock(String name, LocalLock local) {
		Holding holding = Objects.requireNonNull(local.holding);
		Hold hold = holding.hold();
		try {
			if (local.threads.getHoldCount() == 1) {
				local.holding = null;
				if (!this.activity.release(holding)) {
					String reason = hold.lossReason();
					throw new HoldLostException("The lock '" + name + "' was lost before it was unlocked: "
							+ ((reason != null) ? reason : "its key " + hold.key() + " was gone")
							+ "; the work done under it may have overlapped with another holder's");
				}
			}
		}
		finally {
			local.threads.unlock();
			this.localLocks.forget(name, local);
		}
	}

	/**
	 * What the locks went through, for the meters and the endpoint.
	 * @return the activity
	 */
	LockActivity activity() {
		return this.activity;
	}

	/**
	 * The names this application's threads wait for or hold, and their state.
	 * @return the local locks
	 */
	LocalLocks localLocks() {
		return this.localLocks;
	}

	/**
	 * The names this application's threads wait for or hold.
	 * @return how many
	 */
	int localLockCount() {
		return this.localLocks.size();
	}

	private @Nullable EtcdLock acquire(String name, long waitNanos, boolean interruptible) throws InterruptedException {
		ContenderQueue queue = queue(name);
		long deadline = System.nanoTime() + waitNanos;
		LocalLock local = this.localLocks.remember(name);
		boolean reentering = local.threads.isHeldByCurrentThread();
		Attempt attempt = reentering ? null : this.activity.start(waitNanos);
		local.waiters.put(Thread.currentThread(), Instant.now());
		boolean lockedLocally = false;
		EtcdLock acquired = null;
		Throwable failure = null;
		try {
			lockedLocally = local.lock(waitNanos, interruptible);
			if (!lockedLocally) {
				return null;
			}
			Hold hold;
			if (reentering) {
				hold = Objects.requireNonNull(local.holding).hold();
				if (!hold.verify()) {
					throw new HoldLostException("The lock '" + name + "', held by this thread, was lost: "
							+ hold.lossReason() + "; unlock it before acquiring it again");
				}
			}
			else {
				hold = EtcdWait.await(this.coordinator.acquire(queue, NO_VALUE, waitNanos != 0), queue, waitNanos,
						deadline, interruptible, this.requestTimeout);
				if (hold == null) {
					return null;
				}
				local.holding = Holding.now(hold);
			}
			acquired = new EtcdLock(this, name, local, hold);
			return acquired;
		}
		catch (Throwable ex) {
			failure = ex;
			throw ex;
		}
		finally {
			local.waiters.remove(Thread.currentThread());
			if (acquired == null) {
				if (lockedLocally) {
					local.threads.unlock();
				}
				this.localLocks.forget(name, local);
			}
			if (attempt != null) {
				attempt.ended(acquired, failure);
			}
		}
	}

	private static IllegalMonitorStateException notHeld(String name) {
		return new IllegalMonitorStateException("The lock '" + name + "' is not held by this thread ("
				+ Thread.currentThread().getName() + "): only the thread that acquired a lock unlocks it");
	}

	private static TimeoutException notAcquired(String name, Duration wait) {
		return new TimeoutException("The lock '" + name + "' was not acquired within " + wait);
	}

}
