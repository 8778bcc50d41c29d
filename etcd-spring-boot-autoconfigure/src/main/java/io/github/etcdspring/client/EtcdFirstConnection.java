package io.github.etcdspring.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.Client;

/**
 * Waits at startup for the first connection of a new client: up to
 * {@code etcd.dial-timeout}, counted from when the client started connecting, and then
 * the request timeout for the first call itself, an authenticated member list.
 * <p>
 * A request deadline alone is not enough: on a busy machine, setting up the first
 * connection (class loading, Netty, HTTP/2, TLS) can take longer than a request timeout
 * although etcd is up and idle. So the call is attempted again, each attempt with its
 * request timeout, for as long as etcd looks unreachable and the dial timeout has not
 * passed. The channel goes on connecting across attempts, so an attempt made once it is
 * connected gets its whole request timeout. Only an etcd that gave no connection within
 * the dial timeout is reported unreachable; any other failure (credentials, TLS,
 * permissions) ends the wait at once.
 *
 * @author etcd-spring-boot contributors
 */
public final class EtcdFirstConnection {

	/**
	 * Shortest time between two attempts, so that a failure that comes at once does not
	 * spin.
	 */
	private static final long MIN_ATTEMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final long connectingSince;

	private final Duration dialTimeout;

	private EtcdFirstConnection(long connectingSince, Duration dialTimeout) {
		this.connectingSince = connectingSince;
		this.dialTimeout = dialTimeout;
	}

	/**
	 * Count the dial timeout from now: call it when the client is built.
	 * @param dialTimeout how long the client may take to connect
	 * @return the wait for the first connection of that client
	 */
	public static EtcdFirstConnection startingNow(Duration dialTimeout) {
		return new EtcdFirstConnection(System.nanoTime(), dialTimeout);
	}

	/**
	 * Wait until the client has made one authenticated call.
	 * @param client the client
	 * @param requestTimeout how long each attempt of the call may take
	 * @throws TimeoutException when etcd was still unreachable after the dial timeout;
	 * its message names {@code etcd.dial-timeout} and the last failure
	 * @throws RuntimeException any other failure of the call, as
	 * {@link EtcdFutures#await} throws it
	 */
	public void await(Client client, Duration requestTimeout) throws TimeoutException {
		while (true) {
			long attemptStart = System.nanoTime();
			try {
				EtcdFutures.await(client.getClusterClient().listMember(), requestTimeout);
				return;
			}
			catch (RuntimeException ex) {
				if (EtcdFailure.of(ex) != EtcdFailure.UNREACHABLE || Thread.currentThread().isInterrupted()) {
					throw ex;
				}
				if (System.nanoTime() - this.connectingSince >= this.dialTimeout.toNanos()) {
					throw new TimeoutException("no connection within " + EtcdProperties.PREFIX + ".dial-timeout="
							+ this.dialTimeout + "; last attempt: " + EtcdFailure.messageOf(ex));
				}
				pauseUntil(attemptStart + MIN_ATTEMPT_NANOS);
			}
		}
	}

	private static void pauseUntil(long time) {
		long remaining = time - System.nanoTime();
		if (remaining > 0) {
			try {
				TimeUnit.NANOSECONDS.sleep(remaining);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for etcd", ex);
			}
		}
	}

}
