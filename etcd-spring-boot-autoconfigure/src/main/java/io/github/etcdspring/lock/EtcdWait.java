package io.github.etcdspring.lock;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.coordination.ContenderQueue;
import io.github.etcdspring.coordination.Hold;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * How a thread waits for the coordinator's acquisition of a lock: as long as it takes,
 * for one try, or until a deadline; through interrupts or not. A wait that ends without
 * the lock gives the acquisition up, which deletes its key, and releases the lock if it
 * was acquired meanwhile.
 *
 * @author etcd-spring-boot contributors
 */
final class EtcdWait {

	private static final Log logger = LogFactory.getLog(EtcdWait.class);

	/** Wait as long as it takes. */
	static final long FOREVER = -1;

	private EtcdWait() {
	}

	/**
	 * Wait for an acquisition.
	 * @param acquisition the acquisition
	 * @param queue what is acquired
	 * @param waitNanos {@link #FOREVER}, 0 for a try (bounded by etcd's answers), or how
	 * long to wait
	 * @param deadline when to stop waiting, as {@link System#nanoTime()}, for a wait
	 * @param interruptible whether an interrupt gives up (and is thrown); if not, the
	 * wait goes on and the interrupt status is set again at the end
	 * @param requestTimeout how long etcd may take to answer
	 * @return the hold, or {@code null} when not acquired in time (or not free, for a
	 * try)
	 * @throws InterruptedException when interruptible and interrupted
	 */
	static @Nullable Hold await(CompletableFuture<@Nullable Hold> acquisition, ContenderQueue queue, long waitNanos,
			long deadline, boolean interruptible, Duration requestTimeout) throws InterruptedException {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					if (waitNanos == FOREVER) {
						return acquisition.get();
					}
					// a try waits for etcd's answers (the write, and the delete when not
					// free)
					long timeout = (waitNanos == 0) ? 2 * requestTimeout.toNanos() : deadline - System.nanoTime();
					return acquisition.get(Math.max(timeout, 0), TimeUnit.NANOSECONDS);
				}
				catch (InterruptedException ex) {
					if (interruptible || waitNanos == 0) {
						giveUp(acquisition);
						if (!interruptible) {
							interrupted = true;
							return null;
						}
						throw ex;
					}
					interrupted = true;
				}
				catch (TimeoutException ex) {
					giveUp(acquisition);
					if (waitNanos == 0) {
						throw new IllegalStateException("etcd did not answer within " + requestTimeout.multipliedBy(2)
								+ " whether the lock " + queue + " is free", ex);
					}
					return null;
				}
				catch (ExecutionException ex) {
					Throwable cause = ex.getCause();
					throw (cause instanceof RuntimeException runtime) ? runtime : new IllegalStateException(
							"Could not acquire the lock " + queue + ": " + EtcdFailure.messageOf(cause), cause);
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Stop an acquisition: its key is deleted, also when it was acquired meanwhile.
	 */
	private static void giveUp(CompletableFuture<@Nullable Hold> acquisition) {
		if (acquisition.cancel(false) || acquisition.isCompletedExceptionally()) {
			return;
		}
		Hold hold = acquisition.getNow(null);
		if (hold != null) {
			try {
				hold.release();
			}
			catch (RuntimeException ex) {
				logger.debug("The deletion of " + hold.key() + " goes on in the background", ex);
			}
		}
	}

}
