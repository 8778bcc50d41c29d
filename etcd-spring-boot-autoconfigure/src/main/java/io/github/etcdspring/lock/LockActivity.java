package io.github.etcdspring.lock;

import java.util.concurrent.atomic.LongAdder;

import io.github.etcdspring.lock.LocalLock.Holding;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * What the locks of an {@link EtcdLockRegistry} went through: how many acquisitions ended
 * how and how long they waited, how many locks were released or lost and how long they
 * were held, for the {@code etcd.lock.*} meters and the {@code etcd} endpoint; and the
 * {@code etcd.lock.acquire} observation around each acquisition. Only acquisitions in
 * etcd count: a thread acquiring again a lock it holds neither waits nor is observed.
 * Thread-safe.
 *
 * @author etcd-spring-boot contributors
 */
final class LockActivity {

	/** The name of the observation of an acquisition. */
	static final String OBSERVATION = "etcd.lock.acquire";

	private final ObservationRegistry observations;

	private final Tally acquired = new Tally();

	private final Tally timedOut = new Tally();

	private final Tally failed = new Tally();

	private final Tally released = new Tally();

	private final Tally lost = new Tally();

	LockActivity(ObservationRegistry observations) {
		this.observations = observations;
	}

	/**
	 * An acquisition starts, observed from now.
	 * @param waitNanos {@link EtcdWait#FOREVER}, 0 for a try, or how long it may wait
	 * @return the attempt, to end once
	 */
	Attempt start(long waitNanos) {
		String mode = (waitNanos == EtcdWait.FOREVER) ? "unbounded" : (waitNanos == 0) ? "try" : "bounded";
		Observation observation = Observation.createNotStarted(OBSERVATION, this.observations)
			.contextualName("etcd lock acquire")
			.lowCardinalityKeyValue("mode", mode)
			.start();
		return new Attempt(observation, observation.openScope(), System.nanoTime());
	}

	/**
	 * Release a lock acquired in etcd, counting the time it was held.
	 * @param holding what is held, and since when
	 * @return whether it was still held until now; {@code false} when it had been lost
	 * @throws RuntimeException when etcd did not answer in time: released for this
	 * application all the same (deleted in the background)
	 */
	boolean release(Holding holding) {
		boolean wasHeld = true;
		try {
			wasHeld = holding.hold().release();
			return wasHeld;
		}
		finally {
			(wasHeld ? this.released : this.lost).add(System.nanoTime() - holding.sinceNanos());
		}
	}

	Tally acquired() {
		return this.acquired;
	}

	Tally timedOut() {
		return this.timedOut;
	}

	Tally failed() {
		return this.failed;
	}

	Tally released() {
		return this.released;
	}

	Tally lost() {
		return this.lost;
	}

	/**
	 * One acquisition under way.
	 */
	final class Attempt {

		private final Observation observation;

		private final Observation.Scope scope;

		private final long startNanos;

		private Attempt(Observation observation, Observation.Scope scope, long startNanos) {
			this.observation = observation;
			this.scope = scope;
			this.startNanos = startNanos;
		}

		/**
		 * It ended, on the thread that started it.
		 * @param lock the lock acquired, {@code null} when not acquired in time (or not
		 * free, for a try)
		 * @param failure why it failed, if it did
		 */
		void ended(@Nullable EtcdLock lock, @Nullable Throwable failure) {
			Tally outcome = (failure != null) ? LockActivity.this.failed
					: (lock != null) ? LockActivity.this.acquired : LockActivity.this.timedOut;
			outcome.add(System.nanoTime() - this.startNanos);
			this.observation.lowCardinalityKeyValue("outcome",
					(failure != null) ? "failed" : (lock != null) ? "acquired" : "timeout");
			if (failure != null) {
				this.observation.error(failure);
			}
			this.scope.close();
			this.observation.stop();
		}

	}

	/**
	 * How many times something ended one way, and the time it took in all.
	 */
	static final class Tally {

		private final LongAdder count = new LongAdder();

		private final LongAdder totalNanos = new LongAdder();

		void add(long nanos) {
			this.count.increment();
			this.totalNanos.add(nanos);
		}

		long count() {
			return this.count.sum();
		}

		double totalNanos() {
			return this.totalNanos.sum();
		}

	}

}
