package io.github.etcdspring.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for jetcd calls from the starter's own threads.
 *
 * @author etcd-spring-boot contributors
 */
public final class EtcdFutures {

	private EtcdFutures() {
	}

	/**
	 * Wait for a call at most {@code timeout}, then cancel it.
	 * @param <T> the result type
	 * @param future the call
	 * @param timeout how long to wait
	 * @return the result
	 * @throws RuntimeException the failure of the call itself when it is one (so that
	 * {@link EtcdFailure#of} classifies it), else an {@link IllegalStateException} saying
	 * what happened
	 */
	public static <T> T await(CompletableFuture<T> future, Duration timeout) {
		try {
			return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for etcd", ex);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException(EtcdFailure.messageOf(ex.getCause()), ex.getCause());
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw new IllegalStateException("etcd did not answer within " + timeout, ex);
		}
	}

}
