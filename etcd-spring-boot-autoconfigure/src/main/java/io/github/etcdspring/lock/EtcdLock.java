package io.github.etcdspring.lock;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.etcdspring.coordination.CoordinationSession.LossListener;
import io.github.etcdspring.coordination.Hold;
import io.github.etcdspring.coordination.HoldLostException;

/**
 * One acquisition of a lock of an {@link EtcdLockRegistry}, held by the thread that
 * acquired it until it {@link #unlock() unlocks} it, for example at the end of a
 * try-with-resources block:
 *
 * <pre class="code">
 * try (EtcdLock lock = locks.lock("invoices")) {
 *     lock.onLoss((reason) -&gt; stopWriting());
 *     write(invoice, lock.fencingToken());
 * }
 * </pre>
 *
 * Re-entrant acquisitions by the holding thread return handles of their own that share
 * the key, the fencing token and the loss signal; the lock is deleted in etcd when the
 * outermost one is unlocked.
 *
 * @author etcd-spring-boot contributors
 */
public final class EtcdLock implements AutoCloseable {

	private final EtcdLockRegistry registry;

	private final String name;

	private final LocalLock local;

	private final Hold hold;

	private final AtomicBoolean unlocked = new AtomicBoolean();

	EtcdLock(EtcdLockRegistry registry, String name, LocalLock local, Hold hold) {
		this.registry = registry;
		this.name = name;
		this.local = local;
		this.hold = hold;
	}

	/**
	 * The name of the lock.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The key this application holds the lock with, {@code {prefix}/{name}/{lease hex}},
	 * without {@code etcd.namespace}.
	 * @return the key
	 */
	public String key() {
		return this.hold.key();
	}

	/**
	 * The fencing token: the create revision of the key. It strictly increases across the
	 * holders of the lock, whatever their language, as long as etcd keeps its data: pass
	 * it to a store that refuses writes with a token lower than one it saw.
	 * @return the token
	 */
	public long fencingToken() {
		return this.hold.fencingToken();
	}

	/**
	 * Whether the lock is still held, as far as this application knows, without asking
	 * etcd: neither unlocked through this handle nor lost. A loss is known within the
	 * session TTL ({@code etcd.coordination.session-ttl}).
	 * @return whether held
	 * @see #verify()
	 */
	public boolean isHeld() {
		return !this.unlocked.get() && this.hold.isHeld();
	}

	/**
	 * Ask etcd whether the key is still there with the create revision it was acquired
	 * with, waiting for the answer; a lock found gone is lost from now on.
	 * @return whether still held
	 * @throws RuntimeException when etcd could not be asked
	 */
	public boolean verify() {
		return !this.unlocked.get() && this.hold.verify();
	}

	/**
	 * Be told once when the lock is lost (its session lease expired or was revoked, or
	 * its key was deleted), at once if it is lost already; not told of an unlock. The
	 * listener runs on the coordinator's thread and must not block: let it signal the
	 * work to stop.
	 * @param listener told why
	 * @return this handle
	 */
	public EtcdLock onLoss(LossListener listener) {
		this.hold.onLoss(listener);
		return this;
	}

	/**
	 * Unlock: the outermost unlock of the holding thread deletes the key, only if it is
	 * still this lock's (a key written since by another holder is left alone).
	 * Idempotent: a second unlock of the same handle does nothing.
	 * @throws HoldLostException when the lock had been lost before: the work done under
	 * it may have overlapped with another holder's. The lock is unlocked all the same.
	 * @throws IllegalMonitorStateException when called by another thread than the one
	 * that acquired it; nothing is unlocked
	 * @throws RuntimeException when etcd did not confirm the deletion in time; it goes on
	 * in the background until done or the session lease is gone
	 */
	public void unlock() {
		if (this.unlocked.get()) {
			return;
		}
		this.registry.checkOwner(this.name, this.local);
		if (this.unlocked.compareAndSet(false, true)) {
			this.registry.unlock(this.name, this.local);
		}
	}

	/**
	 * {@link #unlock() Unlock}, for try-with-resources.
	 * @throws HoldLostException when the lock had been lost before
	 */
	@Override
	public void close() {
		unlock();
	}

	@Override
	public String toString() {
		return "EtcdLock '" + this.name + "' (" + this.hold + ")";
	}

}
