package io.github.etcdspring.coordination;

import java.util.ArrayList;
import java.util.List;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdspring.coordination.CoordinationSession.LossListener;
import io.github.etcdspring.coordination.CoordinationSession.Registration;
import io.github.etcdspring.coordination.CoordinationSession.SessionLease;
import io.github.etcdspring.watch.KeyRange;
import io.github.etcdspring.watch.PrefixWatch;
import io.github.etcdspring.watch.Recovery;
import io.github.etcdspring.watch.WatchListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The front of a {@link ContenderQueue}, held by this application: a lock held, or a
 * leadership. Its fencing token is the create revision of its key, which strictly
 * increases across the holders of a name (as long as etcd keeps its history).
 * <p>
 * It is lost, once, when its session lease is lost or its key is deleted by anyone else;
 * its {@link #onLoss loss listeners} are told at once, on the thread that finds the loss:
 * the coordinator's for a deleted key, the keep-alive's (jetcd's) for a lost session
 * lease. Its key is watched for that from the revision it was acquired at.
 * {@link #release()} and {@link #proclaim} only touch a key whose create revision is
 * still this hold's (etcd#22082). Thread-safe.
 *
 * @author etcd-spring-boot contributors
 */
public final class Hold {

	private static final Log logger = LogFactory.getLog(Hold.class);

	private final EtcdCoordinator coordinator;

	private final ContenderQueue queue;

	private final SessionLease lease;

	private final ByteSequence key;

	private final long createRevision;

	private final List<LossListener> listeners = new ArrayList<>();

	private final PrefixWatch keyWatch;

	private volatile @Nullable Registration sessionRegistration;

	private volatile @Nullable String lossReason;

	private volatile boolean released;

	Hold(EtcdCoordinator coordinator, ContenderQueue queue, SessionLease lease, long createRevision,
			long acquiredRevision) {
		this.coordinator = coordinator;
		this.queue = queue;
		this.lease = lease;
		this.key = queue.keyBytes(lease.id());
		this.createRevision = createRevision;
		this.keyWatch = coordinator.watch("the key of " + queue.key(lease.id()), Recovery.RESUME, new KeyDeletion())
			.deletionsOnly();
		this.keyWatch.open();
		this.keyWatch.start(List.of(new KeyRange(this.key, false)), acquiredRevision, 0);
		Registration registration = lease
			.whenLost((reason) -> lost("its session lease " + lease + " is lost: " + reason));
		this.sessionRegistration = registration;
		if (!isHeld()) {
			registration.close();
		}
	}

	/**
	 * What is held.
	 * @return the queue
	 */
	public ContenderQueue queue() {
		return this.queue;
	}

	/**
	 * The key written for it, without {@code etcd.namespace}.
	 * @return the key
	 */
	public String key() {
		return this.queue.key(this.lease.id());
	}

	/**
	 * The session lease its key is on.
	 * @return the lease id
	 */
	public long leaseId() {
		return this.lease.id();
	}

	/**
	 * The fencing token: the create revision of its key.
	 * @return the token
	 */
	public long fencingToken() {
		return this.createRevision;
	}

	/**
	 * Whether it is still held, as far as this application knows: neither released nor
	 * lost. {@link #verify()} asks etcd.
	 * @return whether held
	 */
	public boolean isHeld() {
		return !this.released && this.lossReason == null;
	}

	/**
	 * Why it was lost.
	 * @return the reason, or {@code null} while not lost
	 */
	public @Nullable String lossReason() {
		return this.lossReason;
	}

	/**
	 * Be told once when it is lost, at once if it is lost already. Not told of a
	 * {@link #release()}. The listener runs on the thread that finds the loss (the
	 * coordinator's or jetcd's) and must not block.
	 * @param listener told why
	 */
	public void onLoss(LossListener listener) {
		String reason;
		synchronized (this.listeners) {
			reason = this.lossReason;
			if (reason == null) {
				this.listeners.add(listener);
				return;
			}
		}
		listener.lost(reason);
	}

	/**
	 * Ask etcd whether its key is still there with its create revision, waiting for the
	 * answer; a hold found gone is lost from now on.
	 * @return whether still held
	 * @throws RuntimeException when etcd could not be asked
	 */
	public boolean verify() {
		if (!isHeld()) {
			return false;
		}
		KeyValue found = this.coordinator.get(this.key);
		if (found == null || found.getCreateRevision() != this.createRevision) {
			lost("its key " + key() + " is gone");
		}
		return isHeld();
	}

	/**
	 * Replace the value of its key (an election's proposal), only while it is still this
	 * hold's key.
	 * @param value the new value
	 * @throws HoldLostException when it is no longer held
	 */
	public void proclaim(ByteSequence value) {
		String reason = this.lossReason;
		if (this.released || reason != null) {
			throw new HoldLostException(this.queue + " is no longer held" + ((reason != null) ? ": " + reason : ""));
		}
		if (!this.coordinator
			.await(this.coordinator.putIfCreatedAt(this.key, value, this.createRevision, this.lease.id()))) {
			lost("its key " + key() + " is gone");
			throw new HoldLostException(this.queue + " is no longer held: its key " + key() + " is gone");
		}
	}

	/**
	 * Delete its key if it is still this hold's, waiting for etcd's answer; if etcd
	 * cannot be reached, the delete is retried in the background until it succeeds or the
	 * session lease is gone. Idempotent.
	 * @return whether it was still held until now; {@code false} when it had been lost
	 * (or released) before
	 * @throws RuntimeException when etcd did not answer in time; the delete goes on in
	 * the background
	 */
	public boolean release() {
		if (this.released) {
			return false;
		}
		this.released = true;
		stopWatching();
		if (this.lossReason != null) {
			return false;
		}
		// an interrupted thread still unlocks, as Lock.unlock() does: the wait goes on
		return this.coordinator
			.awaitUninterruptibly(this.coordinator.deleteIfCreatedAt(this.key, this.createRevision, this.lease));
	}

	void lost(String reason) {
		List<LossListener> toTell;
		synchronized (this.listeners) {
			if (this.lossReason != null || this.released) {
				return;
			}
			this.lossReason = reason;
			toTell = List.copyOf(this.listeners);
			this.listeners.clear();
		}
		stopWatching();
		logger.warn("Lost " + this.queue + ": " + reason);
		for (LossListener listener : toTell) {
			try {
				listener.lost(reason);
			}
			catch (RuntimeException ex) {
				logger.error("A listener of the loss of " + this.queue + " failed", ex);
			}
		}
	}

	private void stopWatching() {
		this.keyWatch.close();
		Registration registration = this.sessionRegistration;
		if (registration != null) {
			registration.close();
		}
	}

	@Override
	public String toString() {
		return this.queue + " held under " + key() + " at revision " + this.createRevision;
	}

	private final class KeyDeletion implements WatchListener {

		@Override
		public void onChanges(List<WatchEvent> changes) {
			if (!changes.isEmpty()) {
				lost("its key " + key() + " was deleted");
			}
		}

		@Override
		public void onReset(Reset reset, @Nullable Throwable cause) {
			Hold.this.coordinator.client().getKVClient().get(Hold.this.key).whenCompleteAsync((response, failure) -> {
				if (!isHeld()) {
					return;
				}
				if (response == null) {
					Hold.this.keyWatch.retryLater(() -> onReset(reset, failure));
				}
				else if (response.getKvs().isEmpty()
						|| response.getKvs().get(0).getCreateRevision() != Hold.this.createRevision) {
					lost("its key " + key() + " is gone");
				}
				else {
					Hold.this.keyWatch.start(List.of(new KeyRange(Hold.this.key, false)),
							response.getHeader().getRevision(), response.getHeader().getClusterId());
				}
			}, Hold.this.coordinator.executor());
		}

	}

}
