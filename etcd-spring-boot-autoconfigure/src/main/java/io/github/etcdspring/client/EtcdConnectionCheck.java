package io.github.etcdspring.client;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.Client;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * The fail-fast check of the auto-configured client: one authenticated call, so that an
 * unreachable cluster, an untrusted certificate or wrong credentials stop the startup
 * with an {@link EtcdConnectionException} instead of failing the first real request.
 * <p>
 * In a fresh JVM the first call pays for setting up the connection (loading and starting
 * gRPC, Netty and Vert.x, HTTP/2, TLS), most of the time the starter adds to a startup.
 * So the check runs in the background from when the client is built, while the other
 * beans are created, and is waited for once they all are
 * ({@link #afterSingletonsInstantiated()}), before any lifecycle starts; a client built
 * after that (a lazily initialized context) is checked at once. A bean that calls etcd
 * while it is created waits for the connection just as before.
 *
 * @author etcd-spring-boot contributors
 */
final class EtcdConnectionCheck implements SmartInitializingSingleton {

	private @Nullable FutureTask<Void> pending;

	private boolean singletonsInstantiated;

	/**
	 * Check a new client: in the background while the other beans are created, at once
	 * after.
	 * @param client the client, just built
	 * @param firstConnection the wait for its first connection, started when it was built
	 * @param connectionDetails where it connects, for the diagnosis of a failure
	 * @param properties the timeouts
	 * @throws EtcdConnectionException when checked at once and the check fails
	 */
	synchronized void begin(Client client, EtcdFirstConnection firstConnection, EtcdConnectionDetails connectionDetails,
			EtcdProperties properties) {
		FutureTask<Void> check = new FutureTask<>(() -> {
			verify(client, firstConnection, connectionDetails, properties);
			return null;
		});
		if (this.singletonsInstantiated) {
			check.run();
			awaitResult(check);
			return;
		}
		Thread thread = new Thread(check, "etcd-connection-check");
		thread.setDaemon(true);
		thread.start();
		this.pending = check;
	}

	/**
	 * Wait for the check begun while the beans were created.
	 * @throws EtcdConnectionException when it failed
	 */
	@Override
	public synchronized void afterSingletonsInstantiated() {
		this.singletonsInstantiated = true;
		FutureTask<Void> check = this.pending;
		this.pending = null;
		if (check != null) {
			awaitResult(check);
		}
	}

	private static void awaitResult(FutureTask<Void> check) {
		try {
			check.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the first connection to etcd", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	private static void verify(Client client, EtcdFirstConnection firstConnection,
			EtcdConnectionDetails connectionDetails, EtcdProperties properties) {
		try {
			firstConnection.await(client, properties.getRequestTimeout());
		}
		catch (TimeoutException | RuntimeException ex) {
			client.close();
			ConnectionFailure failure = ConnectionFailure.diagnose(ex, connectionDetails, properties.getAuthority(),
					properties.getDialTimeout(), "etcd.dial-timeout");
			throw new EtcdConnectionException(connectionDetails.getEndpoints(), failure.failure(), failure.detail(),
					failure.cause());
		}
	}

}
