package io.github.etcdspring.lock;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

import io.github.etcdspring.coordination.HoldLostException;

import org.springframework.integration.support.locks.LockRegistry;

/**
 * The locks of an {@link EtcdLockRegistry} as Spring Integration's {@link LockRegistry}:
 * {@link #obtain} gives a {@link Lock} view of a lock name that shares its state with the
 * registry (the same thread holds both, re-entrantly). Its {@code executeLocked} helpers
 * and {@code LockRegistryLeaderInitiator} work with it as they are: the initiator's
 * heartbeat, a re-entrant {@code tryLock}, asks etcd whether the lock is still held and
 * fails with {@link HoldLostException} when it is lost, so that the initiator unlocks and
 * revokes leadership.
 * <p>
 * {@link Lock#unlock()} of a lock that was lost throws {@link HoldLostException}, after
 * unlocking it. {@link Lock#newCondition()} is not supported.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdIntegrationLockRegistry implements LockRegistry<Lock> {

	private final EtcdLockRegistry locks;

	/**
	 * @param locks the locks
	 */
	public EtcdIntegrationLockRegistry(EtcdLockRegistry locks) {
		this.locks = locks;
	}

	/**
	 * A view of a lock.
	 * @param lockKey the lock name, a {@link String}
	 * @return the lock
	 * @throws IllegalArgumentException when the key is not a String or not a valid lock
	 * name
	 */
	@Override
	public Lock obtain(Object lockKey) {
		if (!(lockKey instanceof String name)) {
			throw new IllegalArgumentException(
					"An etcd lock key must be a String, not " + lockKey.getClass().getName());
		}
		this.locks.queue(name);
		return new EtcdIntegrationLock(this.locks, name);
	}

	private record EtcdIntegrationLock(EtcdLockRegistry locks, String name) implements Lock {

		@Override
		public void lock() {
			this.locks.lockUninterruptibly(this.name);
		}

		@Override
		public void lockInterruptibly() throws InterruptedException {
			this.locks.lock(this.name);
		}

		@Override
		public boolean tryLock() {
			return this.locks.tryLock(this.name) != null;
		}

		@Override
		public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
			return this.locks.tryLock(this.name, Duration.ofNanos(unit.toNanos(time))) != null;
		}

		@Override
		public void unlock() {
			this.locks.unlockHeldByCurrentThread(this.name);
		}

		@Override
		public Condition newCondition() {
			throw new UnsupportedOperationException("etcd locks have no conditions");
		}

		@Override
		public String toString() {
			return "EtcdIntegrationLock '" + this.name + "'";
		}

	}

}
