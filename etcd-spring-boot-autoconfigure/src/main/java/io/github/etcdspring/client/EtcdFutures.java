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
			throw failureOf(ex);
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw new IllegalStateException("etcd did not answer within " + timeout, ex);
		}
	}

	/**
	 * Wait for a call at most {@code timeout}, through interrupts, which are kept for the
	 * caller: for what must be done even by an interrupted thread, such as releasing a
	 * lock. The call is not cancelled when it takes longer.
	 * @param <T> the result type
	 * @param future the call
	 * @param timeout how long to wait
	 * @return the result
	 * @throws RuntimeException as {@link #await}
	 */
	public static <T> T awaitUninterruptibly(CompletableFuture<T> future, Duration timeout) {
		boolean interrupted = Thread.interrupted();
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			while (true) {
				try {
					return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
				catch (ExecutionException ex) {
					throw failureOf(ex);
				}
				catch (TimeoutException ex) {
					throw new IllegalStateException("etcd did not answer within " + timeout, ex);
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static RuntimeException failureOf(ExecutionException ex) {
		return (ex.getCause() instanceof RuntimeException runtime) ? runtime
				: new IllegalStateException(EtcdFailure.messageOf(ex.getCause()), ex.getCause());
	}

}
