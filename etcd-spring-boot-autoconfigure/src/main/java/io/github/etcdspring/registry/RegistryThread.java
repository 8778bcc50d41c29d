package io.github.etcdspring.registry;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The one thread on which the registration's state changes, so that (de)registration,
 * status changes, restoration and the reactions to a loss run in turn. Callers wait for
 * their work ({@link #call}); callbacks of jetcd's threads queue theirs
 * ({@link #execute}). A task that fails is logged, and does not end the thread or a
 * periodic task.
 *
 * @author etcd-spring-boot contributors
 */
final class RegistryThread {

	private static final Log logger = LogFactory.getLog(RegistryThread.class);

	private final ScheduledExecutorService executor;

	private volatile @Nullable Thread thread;

	RegistryThread() {
		CustomizableThreadFactory threadFactory = new CustomizableThreadFactory("etcd-registry-") {

			@Override
			public Thread newThread(Runnable runnable) {
				Thread newThread = super.newThread(runnable);
				RegistryThread.this.thread = newThread;
				return newThread;
			}

		};
		threadFactory.setDaemon(true);
		this.executor = Executors.newSingleThreadScheduledExecutor(threadFactory);
	}

	/**
	 * A registry thread whose queued and scheduled tasks run on the given executor, for
	 * tests that advance time themselves. The thread creating it counts as the registry
	 * thread: {@link #call} runs its tasks there at once.
	 * @param executor the executor that runs the queued and scheduled tasks, one at a
	 * time, on the creating thread
	 */
	RegistryThread(ScheduledExecutorService executor) {
		this.executor = executor;
		this.thread = Thread.currentThread();
	}

	/**
	 * Run a task on the registry thread and wait for it; on the registry thread itself,
	 * run it at once.
	 * @param task the task
	 * @return what the task returned
	 */
	<T extends @Nullable Object> T call(Callable<T> task) {
		if (Thread.currentThread() == this.thread) {
			try {
				return task.call();
			}
			catch (Exception ex) {
				throw (ex instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
			}
		}
		try {
			return this.executor.submit(task).get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the etcd registry", ex);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException(ex.getCause());
		}
	}

	/**
	 * Queue a task, dropping it once the thread is shut down.
	 * @param task the task
	 */
	void execute(Runnable task) {
		try {
			this.executor.execute(guarded(task));
		}
		catch (RejectedExecutionException ex) {
			// closed: late keep-alive and watch callbacks have nothing left to restore
		}
	}

	ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
		return this.executor.schedule(guarded(task), delayMillis, TimeUnit.MILLISECONDS);
	}

	ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long intervalMillis) {
		return this.executor.scheduleWithFixedDelay(guarded(task), intervalMillis, intervalMillis,
				TimeUnit.MILLISECONDS);
	}

	/**
	 * The executor behind the thread, for a
	 * {@link io.github.etcdspring.watch.PrefixWatch} whose callbacks run there; tasks
	 * queued on it directly are not guarded.
	 * @return the executor
	 */
	ScheduledExecutorService executor() {
		return this.executor;
	}

	void shutdown() {
		this.executor.shutdownNow();
	}

	/**
	 * Executors keep the exceptions of their tasks to themselves, and end a periodic task
	 * that throws one.
	 */
	static Runnable guarded(Runnable task) {
		return () -> {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				logger.error("etcd registry task failed", ex);
			}
		};
	}

}
