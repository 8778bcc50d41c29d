package io.github.etcdspring.coordination;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.etcd.jetcd.Client;
import io.github.etcdspring.lease.LeaseSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The one session lease of this application for all its locks and elections, as etcd's
 * {@code concurrency.Session}: granted when first needed, kept alive in the background,
 * and replaced by a new one for later acquisitions once lost. Every lock and leadership
 * it backed is told of the loss at once, through {@link SessionLease#whenLost}; none is
 * taken again silently.
 * <p>
 * A lease is lost when etcd says it is gone (expired, revoked, or etcd wiped) or when the
 * keep-alive got no answer for a whole TTL. A lease given up that way is also revoked,
 * best effort, so that keys etcd still keeps under it cannot make a second holder later.
 * Thread-safe.
 *
 * @author etcd-spring-boot contributors
 */
public final class CoordinationSession implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(CoordinationSession.class);

	private final Client client;

	private final long ttlSeconds;

	private final Duration requestTimeout;

	private final Object monitor = new Object();

	private @Nullable SessionLease current;

	private boolean closed;

	private long leasesGranted;

	private volatile SessionDescription.@Nullable Loss lastLoss;

	/**
	 * @param client the client
	 * @param ttlSeconds the TTL of each session lease
	 * @param requestTimeout how long to wait for etcd to grant or revoke it
	 */
	public CoordinationSession(Client client, long ttlSeconds, Duration requestTimeout) {
		this.client = client;
		this.ttlSeconds = ttlSeconds;
		this.requestTimeout = requestTimeout;
	}

	/**
	 * The current session lease, granted now (waiting for etcd) when there is none.
	 * @return a lease that was alive when granted or last renewed
	 * @throws IllegalStateException once closed
	 * @throws RuntimeException when etcd could not grant one
	 */
	public SessionLease lease() {
		synchronized (this.monitor) {
			if (this.closed) {
				throw new IllegalStateException("The etcd coordination session is closed");
			}
			SessionLease lease = this.current;
			if (lease == null || lease.isLost()) {
				lease = new SessionLease(LeaseSession.grant(this.client, this.ttlSeconds, this.requestTimeout),
						this.ttlSeconds);
				this.current = lease;
				this.leasesGranted++;
				lease.session.keepAlive(this::leaseLost);
				lease.clock.observe(this.client, lease.id());
				logger.debug("Granted the etcd coordination session lease " + Long.toHexString(lease.id()));
			}
			return lease;
		}
	}

	/**
	 * The TTL of each session lease.
	 * @return the TTL in seconds
	 */
	public long ttlSeconds() {
		return this.ttlSeconds;
	}

	/**
	 * The session as it stands, for the {@code etcd} endpoint: no call to etcd.
	 * @return the description
	 */
	public SessionDescription describe() {
		SessionLease lease;
		long granted;
		synchronized (this.monitor) {
			lease = this.current;
			granted = this.leasesGranted;
		}
		if (lease == null || lease.isLost()) {
			return new SessionDescription(null, null, null, null, null, granted, this.lastLoss);
		}
		return new SessionDescription(lease.toString(), lease.clock.ttlSeconds(), lease.grantedAt.toString(),
				lease.clock.renewedAt().toString(), lease.clock.remainingMillis(), granted, this.lastLoss);
	}

	/**
	 * Revoke the current lease, which deletes every key under it, and grant no other.
	 * Holders are told their hold is lost.
	 */
	@Override
	public void close() {
		SessionLease lease;
		synchronized (this.monitor) {
			this.closed = true;
			lease = this.current;
			this.current = null;
		}
		if (lease != null && !lease.isLost()) {
			lease.stopKeepAlive();
			try {
				lease.session.revoke();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not revoke the etcd coordination session lease " + Long.toHexString(lease.id())
						+ "; its keys expire with it", ex);
			}
			lease.lost("the session was closed");
		}
	}

	/**
	 * A lease found gone by a request that used it, before its keep-alive told.
	 * @param lease the lease
	 * @param reason why
	 */
	void leaseLost(SessionLease lease, String reason) {
		leaseLost(lease.id(), null, reason);
	}

	private void leaseLost(long leaseId, @Nullable Throwable error, String reason) {
		SessionLease lease;
		synchronized (this.monitor) {
			lease = this.current;
			if (lease == null || lease.id() != leaseId || lease.isLost()) {
				return;
			}
			this.current = null;
		}
		logger.warn("Lost the etcd coordination session lease " + Long.toHexString(leaseId) + ": " + reason
				+ "; every lock and leadership under it is lost");
		this.lastLoss = new SessionDescription.Loss(lease.toString(), Instant.now().toString(), reason);
		lease.stopKeepAlive();
		lease.session.revokeInBackground();
		lease.lost(reason);
	}

	/**
	 * One lease of the session, and who must be told when it is lost.
	 */
	public static final class SessionLease {

		private final LeaseSession session;

		private final KeepAliveClock clock;

		private final Instant grantedAt = Instant.now();

		private final List<LossListener> listeners = new ArrayList<>();

		private volatile @Nullable String lossReason;

		SessionLease(LeaseSession session, long ttlSeconds) {
			this.session = session;
			this.clock = new KeepAliveClock(ttlSeconds);
		}

		private void stopKeepAlive() {
			this.clock.close();
			this.session.stopKeepAlive();
		}

		/**
		 * The lease id.
		 * @return the id
		 */
		public long id() {
			return this.session.id();
		}

		/**
		 * Whether the lease is lost.
		 * @return whether lost
		 */
		public boolean isLost() {
			return this.lossReason != null;
		}

		/**
		 * Be told once when the lease is lost: at once, on this thread, if it is lost
		 * already; otherwise on the thread that finds the loss. The listener must not
		 * block.
		 * @param listener told why
		 * @return a registration that stops it
		 */
		public Registration whenLost(LossListener listener) {
			String reason;
			synchronized (this.listeners) {
				reason = this.lossReason;
				if (reason == null) {
					this.listeners.add(listener);
					return () -> {
						synchronized (this.listeners) {
							this.listeners.remove(listener);
						}
					};
				}
			}
			listener.lost(reason);
			return () -> {
			};
		}

		void lost(String reason) {
			List<LossListener> toTell;
			synchronized (this.listeners) {
				if (this.lossReason != null) {
					return;
				}
				this.lossReason = reason;
				toTell = List.copyOf(this.listeners);
				this.listeners.clear();
			}
			for (LossListener listener : toTell) {
				try {
					listener.lost(reason);
				}
				catch (RuntimeException ex) {
					logger.error("A listener of the loss of the etcd coordination session failed", ex);
				}
			}
		}

		@Override
		public String toString() {
			return Long.toHexString(id());
		}

	}

	/**
	 * Told when a session lease is lost.
	 */
	@FunctionalInterface
	public interface LossListener {

		/**
		 * The lease is lost.
		 * @param reason why, for messages
		 */
		void lost(String reason);

	}

	/**
	 * Stops a listener.
	 */
	@FunctionalInterface
	public interface Registration extends AutoCloseable {

		@Override
		void close();

	}

}
