package io.github.etcdspring.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose time stands still until the test advances it: tasks run on the test's
 * thread, one at a time, in the order of their due time, when {@link #advance} reaches
 * it. For fast unit tests of timing and retry policies; nothing here waits for real time.
 * <p>
 * Tasks queued with {@link #execute} are due now and run at the next {@link #advance} (of
 * any length, zero too). Periodic tasks run with a fixed delay after each run.
 * Thread-safe, so that other threads may queue tasks.
 *
 * @author etcd-spring-boot contributors
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

	private final PriorityQueue<Task> queue = new PriorityQueue<>();

	private long nowMillis;

	private long sequence;

	private boolean shutdown;

	/**
	 * The time elapsed since the scheduler was created.
	 * @return the time, in milliseconds
	 */
	public synchronized long nowMillis() {
		return this.nowMillis;
	}

	/**
	 * Move time forward, running every task that falls due on the way, at its due time.
	 * @param duration how far
	 */
	public void advance(Duration duration) {
		long target;
		synchronized (this) {
			target = this.nowMillis + duration.toMillis();
		}
		while (true) {
			Task next;
			synchronized (this) {
				next = this.queue.peek();
				if (next == null || next.dueMillis > target) {
					this.nowMillis = target;
					return;
				}
				this.queue.poll();
				this.nowMillis = next.dueMillis;
			}
			next.run();
		}
	}

	/**
	 * The delays, from now, of the tasks waiting, soonest first.
	 * @return the delays in milliseconds
	 */
	public synchronized List<Long> pendingDelaysMillis() {
		List<Task> pending = new ArrayList<>(this.queue);
		pending.sort(null);
		return pending.stream().map((task) -> task.dueMillis - this.nowMillis).toList();
	}

	/**
	 * Run the tasks due now, and those they submit without a delay, without moving time.
	 */
	public void runDue() {
		advance(Duration.ZERO);
	}

	/**
	 * Move time to the next task waiting, running it and everything due by then.
	 * @return the delay that task was scheduled with, in milliseconds
	 */
	public long runNextDelayed() {
		Task next;
		long now;
		synchronized (this) {
			next = this.queue.peek();
			now = this.nowMillis;
		}
		if (next == null) {
			throw new AssertionError("No task is waiting");
		}
		advance(Duration.ofMillis(next.dueMillis - now));
		return next.delayMillis;
	}

	/**
	 * The delays that the tasks waiting were scheduled with, soonest first.
	 * @return the delays in milliseconds
	 */
	public synchronized List<Long> pendingDelays() {
		List<Task> pending = new ArrayList<>(this.queue);
		pending.sort(null);
		return pending.stream().map((task) -> task.delayMillis).toList();
	}

	@Override
	public void execute(Runnable command) {
		enqueue(command, 0, 0);
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
		return enqueue(command, unit.toMillis(delay), 0);
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
		if (delay <= 0) {
			throw new IllegalArgumentException("delay must be positive: " + delay);
		}
		return enqueue(command, unit.toMillis(initialDelay), unit.toMillis(delay));
	}

	@Override
	@SuppressWarnings("unchecked")
	public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
		return (ScheduledFuture<V>) schedule(() -> {
			try {
				callable.call();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}, delay, unit);
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
		throw new UnsupportedOperationException("Not needed by the tests yet");
	}

	@Override
	public synchronized void shutdown() {
		this.shutdown = true;
	}

	@Override
	public synchronized List<Runnable> shutdownNow() {
		this.shutdown = true;
		List<Runnable> dropped = new ArrayList<>(this.queue);
		this.queue.clear();
		return dropped;
	}

	@Override
	public synchronized boolean isShutdown() {
		return this.shutdown;
	}

	@Override
	public synchronized boolean isTerminated() {
		return this.shutdown;
	}

	@Override
	public boolean awaitTermination(long timeout, TimeUnit unit) {
		return isTerminated();
	}

	private synchronized Task enqueue(Runnable command, long delayMillis, long periodMillis) {
		if (this.shutdown) {
			throw new RejectedExecutionException("ManualScheduler is shut down");
		}
		Task task = new Task(command, Math.max(delayMillis, 0), periodMillis, this.sequence++);
		this.queue.add(task);
		return task;
	}

	private final class Task implements ScheduledFuture<Object>, Runnable {

		private final Runnable command;

		private final long periodMillis;

		private final long order;

		private final long delayMillis;

		private long dueMillis;

		private boolean cancelled;

		private boolean done;

		Task(Runnable command, long delayMillis, long periodMillis, long order) {
			this.command = command;
			this.delayMillis = delayMillis;
			this.dueMillis = ManualScheduler.this.nowMillis + delayMillis;
			this.periodMillis = periodMillis;
			this.order = order;
		}

		@Override
		public void run() {
			this.command.run();
			synchronized (ManualScheduler.this) {
				if (this.periodMillis > 0 && !this.cancelled && !ManualScheduler.this.shutdown) {
					this.dueMillis = ManualScheduler.this.nowMillis + this.periodMillis;
					ManualScheduler.this.queue.add(this);
				}
				else {
					this.done = true;
				}
			}
		}

		@Override
		public long getDelay(TimeUnit unit) {
			synchronized (ManualScheduler.this) {
				return unit.convert(this.dueMillis - ManualScheduler.this.nowMillis, TimeUnit.MILLISECONDS);
			}
		}

		@Override
		public int compareTo(Delayed other) {
			Task task = (Task) other;
			int byTime = Long.compare(this.dueMillis, task.dueMillis);
			return (byTime != 0) ? byTime : Long.compare(this.order, task.order);
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			synchronized (ManualScheduler.this) {
				if (this.done || this.cancelled) {
					return false;
				}
				this.cancelled = true;
				ManualScheduler.this.queue.remove(this);
				return true;
			}
		}

		@Override
		public boolean isCancelled() {
			synchronized (ManualScheduler.this) {
				return this.cancelled;
			}
		}

		@Override
		public boolean isDone() {
			synchronized (ManualScheduler.this) {
				return this.done || this.cancelled;
			}
		}

		@Override
		public Object get() {
			throw new UnsupportedOperationException("Time stands still: advance the ManualScheduler instead");
		}

		@Override
		public Object get(long timeout, TimeUnit unit) {
			return get();
		}

	}

}
