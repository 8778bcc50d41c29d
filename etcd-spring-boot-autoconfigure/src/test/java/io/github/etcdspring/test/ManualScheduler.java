package io.github.etcdspring.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler that runs nothing by itself: the test runs the tasks due now, or the next delayed one, on its own
 * thread. Time does not pass; the delays asked for are recorded instead.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

	private final List<Task> tasks = new ArrayList<>();

	private boolean shutdown;

	/**
	 * Run the tasks submitted without a delay, and those they submit, until none is left.
	 */
	public void runDue() {
		Task task;
		while ((task = next(false)) != null) {
			task.run();
		}
	}

	/**
	 * Run the next task scheduled with a delay (not cancelled), then the tasks due.
	 * @return the delay it was scheduled with, in milliseconds
	 */
	public long runNextDelayed() {
		Task task = next(true);
		if (task == null) {
			throw new AssertionError("No delayed task");
		}
		task.run();
		runDue();
		return task.delayMillis;
	}

	/**
	 * The delays of the tasks scheduled and not cancelled nor run yet.
	 * @return the delays, in milliseconds
	 */
	public List<Long> pendingDelays() {
		return this.tasks.stream().filter((task) -> task.delayed && !task.isCancelled()).map((task) -> task.delayMillis)
			.toList();
	}

	private Task next(boolean delayed) {
		for (Task task : this.tasks) {
			if (task.delayed == delayed && !task.isCancelled()) {
				this.tasks.remove(task);
				return task;
			}
		}
		this.tasks.removeIf(Task::isCancelled);
		return null;
	}

	private Task add(Callable<?> callable, long delayMillis, boolean delayed) {
		if (this.shutdown) {
			throw new RejectedExecutionException("shut down");
		}
		Task task = new Task(callable, delayMillis, delayed);
		this.tasks.add(task);
		return task;
	}

	@Override
	public void execute(Runnable command) {
		add(Executors.callable(command), 0, false);
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
		return add(Executors.callable(command), unit.toMillis(delay), true);
	}

	@Override
	public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
		throw new UnsupportedOperationException();
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
		throw new UnsupportedOperationException();
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void shutdown() {
		this.shutdown = true;
	}

	@Override
	public List<Runnable> shutdownNow() {
		this.shutdown = true;
		List<Runnable> pending = new ArrayList<>(this.tasks);
		this.tasks.clear();
		return pending;
	}

	@Override
	public boolean isShutdown() {
		return this.shutdown;
	}

	@Override
	public boolean isTerminated() {
		return this.shutdown && this.tasks.isEmpty();
	}

	@Override
	public boolean awaitTermination(long timeout, TimeUnit unit) {
		return isTerminated();
	}

	private static final class Task extends FutureTask<Object> implements ScheduledFuture<Object> {

		private final long delayMillis;

		private final boolean delayed;

		@SuppressWarnings("unchecked")
		Task(Callable<?> callable, long delayMillis, boolean delayed) {
			super((Callable<Object>) callable);
			this.delayMillis = delayMillis;
			this.delayed = delayed;
		}

		@Override
		public long getDelay(TimeUnit unit) {
			return unit.convert(this.delayMillis, TimeUnit.MILLISECONDS);
		}

		@Override
		public int compareTo(Delayed other) {
			return Long.compare(this.delayMillis, other.getDelay(TimeUnit.MILLISECONDS));
		}

	}

}
