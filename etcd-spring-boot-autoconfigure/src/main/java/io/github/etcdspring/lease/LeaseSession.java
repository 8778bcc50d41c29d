package io.github.etcdspring.lease;

import java.time.Duration;
import java.time.Instant;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.github.etcdspring.client.EtcdFutures;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One etcd lease of this application: granted with a TTL, kept alive through jetcd's
 * keep-alive stream, and reported to a {@link LossListener} when it is lost: when etcd
 * says the lease is gone, or when the keep-alive got no answer for a whole TTL. It owns
 * the lease only: what lives under it (keys, locks, elections) and what to do after a
 * loss are its user's concern.
 * <p>
 * The keep-alive starts only when asked ({@link #keepAlive}), so that a lease whose first
 * writes failed can be revoked without ever being kept alive. A session is not
 * thread-safe: its user calls it from one thread; only {@link #lastAnswer()}, which the
 * keep-alive maintains, may be read from any.
 *
 * @author etcd-spring-boot contributors
 */
public final class LeaseSession {

	private static final Log logger = LogFactory.getLog(LeaseSession.class);

	private final Client client;

	private final long id;

	private final Duration requestTimeout;

	private final long grantedTtlSeconds;

	private @Nullable CloseableClient keepAlive;

	private volatile Answer lastAnswer;

	private LeaseSession(Client client, long id, long grantedTtlSeconds, Duration requestTimeout) {
		this.client = client;
		this.id = id;
		this.grantedTtlSeconds = grantedTtlSeconds;
		this.requestTimeout = requestTimeout;
		this.lastAnswer = new Answer(grantedTtlSeconds, Instant.now(), System.nanoTime());
	}

	/**
	 * Grant a lease, waiting for etcd's answer.
	 * @param client the client
	 * @param ttlSeconds the TTL of the lease, in seconds
	 * @param requestTimeout how long to wait for etcd
	 * @return the session of the new lease, not kept alive yet
	 */
	public static LeaseSession grant(Client client, long ttlSeconds, Duration requestTimeout) {
		LeaseGrantResponse granted = EtcdFutures.await(client.getLeaseClient().grant(ttlSeconds), requestTimeout);
		return new LeaseSession(client, granted.getID(), granted.getTTL(), requestTimeout);
	}

	/**
	 * The id of the lease.
	 * @return the lease id
	 */
	public long id() {
		return this.id;
	}

	/**
	 * The TTL etcd granted the lease with.
	 * @return the TTL in seconds
	 */
	public long grantedTtlSeconds() {
		return this.grantedTtlSeconds;
	}

	/**
	 * etcd's last word on the lease's TTL: the keep-alive's last answer, or the grant
	 * until the first. Asks etcd nothing.
	 * @return the answer
	 */
	public Answer lastAnswer() {
		return this.lastAnswer;
	}

	/**
	 * Keep the lease alive until {@link #stopKeepAlive()}, reporting its loss to the
	 * listener.
	 * @param listener told, on a jetcd thread, when the lease is lost
	 */
	public void keepAlive(LossListener listener) {
		this.keepAlive = this.client.getLeaseClient().keepAlive(this.id, new KeepAliveObserver(listener));
	}

	/**
	 * Stop keeping the lease alive; it expires after its TTL unless revoked.
	 */
	public void stopKeepAlive() {
		if (this.keepAlive != null) {
			this.keepAlive.close();
			this.keepAlive = null;
		}
	}

	/**
	 * Revoke the lease, waiting for etcd's answer: everything under it is deleted at
	 * once.
	 * @throws RuntimeException when etcd could not be asked or refused
	 */
	public void revoke() {
		EtcdFutures.await(this.client.getLeaseClient().revoke(this.id), this.requestTimeout);
	}

	/**
	 * Ask etcd to revoke the lease without waiting for its answer, for a lease nothing
	 * lives under any more.
	 */
	public void revokeInBackground() {
		this.client.getLeaseClient().revoke(this.id);
	}

	/**
	 * Whether a failure means the lease is gone (expired or revoked). jetcd reports it as
	 * an {@link EtcdException} from the lease client, but passes the gRPC status through
	 * from a write or a transaction under the lease.
	 * @param failure the failure of a request that used a lease
	 * @return whether etcd did not find the lease
	 */
	public static boolean isLeaseNotFound(Throwable failure) {
		if (failure instanceof EtcdException etcdException) {
			return etcdException.getErrorCode() == ErrorCode.NOT_FOUND;
		}
		return failure instanceof StatusRuntimeException status
				&& status.getStatus().getCode() == Status.Code.NOT_FOUND;
	}

	/**
	 * Told when a lease is lost.
	 */
	@FunctionalInterface
	public interface LossListener {

		/**
		 * The lease is lost.
		 * @param leaseId the id of the lease lost
		 * @param error etcd's answer when the lease is gone, or {@code null} when it was
		 * not kept alive in time
		 * @param reason what happened, when there is no {@code error}
		 */
		void leaseLost(long leaseId, @Nullable Throwable error, String reason);

		/**
		 * The keep-alive failed: its stream broke (jetcd re-opens it), etcd said the
		 * lease is gone, or it got no answer within the TTL. Told before
		 * {@link #leaseLost} when the failure loses the lease.
		 * @param leaseId the id of the lease
		 * @param error jetcd's error, or {@code null} when the lease was not kept alive
		 * in time
		 */
		default void keepAliveFailed(long leaseId, @Nullable Throwable error) {
		}

	}

	/**
	 * An answer of etcd about the lease's TTL.
	 *
	 * @param ttlSeconds the TTL etcd answered with
	 * @param at when the answer came
	 * @param nanoTime {@link System#nanoTime()} when the answer came, to measure the time
	 * since on a monotonic clock
	 */
	public record Answer(long ttlSeconds, Instant at, long nanoTime) {

		/**
		 * The time the lease has left, as of now, if no keep-alive answers meanwhile.
		 * @return the TTL answered less the time since, never negative
		 */
		public Duration remaining() {
			Duration left = Duration.ofSeconds(this.ttlSeconds).minusNanos(System.nanoTime() - this.nanoTime);
			return left.isNegative() ? Duration.ZERO : left;
		}

	}

	private final class KeepAliveObserver implements StreamObserver<LeaseKeepAliveResponse> {

		private final LossListener listener;

		KeepAliveObserver(LossListener listener) {
			this.listener = listener;
		}

		@Override
		public void onNext(LeaseKeepAliveResponse response) {
			if (response.getTTL() > 0) {
				LeaseSession.this.lastAnswer = new Answer(response.getTTL(), Instant.now(), System.nanoTime());
			}
		}

		/**
		 * jetcd reports both a lease that is gone and a broken stream here. It re-opens a
		 * broken stream by itself and calls {@link #onCompleted()} if the lease then runs
		 * out, so only a lease that is gone counts as lost.
		 */
		@Override
		public void onError(Throwable error) {
			this.listener.keepAliveFailed(LeaseSession.this.id, error);
			if (isLeaseNotFound(error)) {
				this.listener.leaseLost(LeaseSession.this.id, error, "the lease is gone");
			}
			else {
				logger.debug("Keep-alive stream of lease " + Long.toHexString(LeaseSession.this.id)
						+ " interrupted; jetcd re-opens it", error);
			}
		}

		@Override
		public void onCompleted() {
			this.listener.keepAliveFailed(LeaseSession.this.id, null);
			this.listener.leaseLost(LeaseSession.this.id, null, "the lease was not kept alive within its TTL");
		}

	}

}
