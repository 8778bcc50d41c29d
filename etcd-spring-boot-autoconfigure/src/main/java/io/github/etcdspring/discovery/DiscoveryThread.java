package io.github.etcdspring.discovery;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The catalog's discovery thread: the one daemon thread that reads the registry, applies
 * its changes to the copy in revision order, tells the listeners and runs the retries, so
 * that the copy changes on one thread only.
 *
 * @author etcd-spring-boot contributors
 */
final class DiscoveryThread {

	private final ScheduledExecutorService executor;

	private volatile @Nullable Thread thread;

	DiscoveryThread() {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("etcd-discovery-");
		threads.setDaemon(true);
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = threads.newThread(task);
			this.thread = thread;
			return thread;
		});
	}

	/**
	 * The executor that runs tasks on the thread, in the order submitted.
	 * @return the executor
	 */
	ScheduledExecutorService executor() {
		return this.executor;
	}

	/**
	 * Whether the caller runs on the discovery thread.
	 * @return whether it does
	 */
	boolean isCurrent() {
		return Thread.currentThread() == this.thread;
	}

	/**
	 * Run a task on the discovery thread: now when called from it, else after what it is
	 * doing; not at all once the thread is shut down.
	 * @param task the task
	 */
	void run(Runnable task) {
		if (isCurrent()) {
			task.run();
			return;
		}
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// destroyed
		}
	}

	/**
	 * Stop the thread, interrupting what it is doing and dropping what is pending.
	 */
	void shutdown() {
		this.executor.shutdownNow();
	}

}
