package io.github.etcdspring.coordination;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import org.jspecify.annotations.Nullable;

/**
 * When a session lease was last renewed, and with which TTL, read from the answers of its
 * keep-alive: a second observer of the keep-alive stream jetcd runs for the lease anyway
 * (jetcd sends one request per lease whatever the number of observers), so that its
 * remaining time is known without asking etcd. Losses are reported by the lease's own
 * keep-alive, not here. Close it with the lease's keep-alive: jetcd keeps a lease alive
 * while any observer is open.
 *
 * @author etcd-spring-boot contributors
 */
final class KeepAliveClock implements StreamObserver<LeaseKeepAliveResponse> {

	private volatile Renewal last;

	private @Nullable CloseableClient observation;

	/**
	 * @param ttlSeconds the TTL the lease was granted with, counted from now
	 */
	KeepAliveClock(long ttlSeconds) {
		this.last = new Renewal(Instant.now(), System.nanoTime(), ttlSeconds);
	}

	/**
	 * Start reading the keep-alive answers of a lease.
	 * @param client the client
	 * @param leaseId the lease
	 */
	synchronized void observe(Client client, long leaseId) {
		this.observation = client.getLeaseClient().keepAlive(leaseId, this);
	}

	/**
	 * Stop reading them.
	 */
	synchronized void close() {
		if (this.observation != null) {
			this.observation.close();
			this.observation = null;
		}
	}

	/**
	 * When etcd last renewed the lease, or granted it.
	 * @return the time
	 */
	Instant renewedAt() {
		return this.last.at();
	}

	/**
	 * The TTL etcd last renewed the lease with.
	 * @return the TTL in seconds
	 */
	long ttlSeconds() {
		return this.last.ttlSeconds();
	}

	/**
	 * How long the lease lives without another renewal, as far as this application knows.
	 * @return the remaining time in milliseconds, 0 when it ran out
	 */
	long remainingMillis() {
		Renewal renewal = this.last;
		long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - renewal.nanoTime());
		return Math.max(0, TimeUnit.SECONDS.toMillis(renewal.ttlSeconds()) - elapsed);
	}

	@Override
	public void onNext(LeaseKeepAliveResponse response) {
		if (response.getTTL() > 0) {
			this.last = new Renewal(Instant.now(), System.nanoTime(), response.getTTL());
		}
	}

	@Override
	public void onError(Throwable error) {
	}

	@Override
	public void onCompleted() {
	}

	private record Renewal(Instant at, long nanoTime, long ttlSeconds) {
	}

}
