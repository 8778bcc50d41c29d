package io.github.etcdspring.leader;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

import io.github.etcdspring.coordination.CoordinationSession.Registration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * A {@link TaskScheduler} whose tasks run only while the application leads its election
 * ({@link EtcdLeaderInitiator}): at each scheduled time a task is skipped when the
 * application does not lead. Mark a method leader-only with
 * {@code @Scheduled(fixedRate = 5000, scheduler = "etcdLeaderTaskScheduler")}; nothing is
 * needed inside it.
 * <p>
 * A run that is under way when the leadership ends is told in two ways: its thread is
 * interrupted (blocking calls throw, {@code Thread.interrupted()} answers true), and
 * {@link #currentLeadership()}, which gives the term it runs under (and its fencing
 * token, to pass to systems that refuse stale writers), answers a term whose
 * {@link Leadership#isLeader()} is false. Runs happen on one thread of its own,
 * {@code etcd-leader-task-}.
 * <p>
 * It wraps each task rather than setting a
 * {@link ThreadPoolTaskScheduler#setTaskDecorator TaskDecorator}: a decorator wraps the
 * executor's callback for one execution, which also reschedules a periodic task, so
 * skipping it while not leading would stop the task for good.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdLeaderTaskScheduler implements TaskScheduler, DisposableBean {

	/** The bean name to give in {@code @Scheduled(scheduler = ...)}. */
	public static final String BEAN_NAME = "etcdLeaderTaskScheduler";

	private static final Log logger = LogFactory.getLog(EtcdLeaderTaskScheduler.class);

	private static final ThreadLocal<@Nullable Leadership> current = new ThreadLocal<>();

	private final EtcdLeaderInitiator initiator;

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	/**
	 * @param initiator the application's leadership
	 */
	public EtcdLeaderTaskScheduler(EtcdLeaderInitiator initiator) {
		this.initiator = initiator;
		this.scheduler.setThreadNamePrefix("etcd-leader-task-");
		this.scheduler.setDaemon(true);
		this.scheduler.initialize();
	}

	/**
	 * The term of leadership the current thread's leader-only task runs under.
	 * @return the leadership; empty outside a task of this scheduler
	 */
	public static Optional<Leadership> currentLeadership() {
		return Optional.ofNullable(current.get());
	}

	@Override
	public @Nullable ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
		return this.scheduler.schedule(leaderOnly(task), trigger);
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
		return this.scheduler.schedule(leaderOnly(task), startTime);
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Instant startTime, Duration period) {
		return this.scheduler.scheduleAtFixedRate(leaderOnly(task), startTime, period);
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
		return this.scheduler.scheduleAtFixedRate(leaderOnly(task), period);
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
		return this.scheduler.scheduleWithFixedDelay(leaderOnly(task), startTime, delay);
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
		return this.scheduler.scheduleWithFixedDelay(leaderOnly(task), delay);
	}

	@Override
	public void destroy() {
		this.scheduler.shutdown();
	}

	private Runnable leaderOnly(Runnable task) {
		return () -> {
			Leadership leadership = this.initiator.getLeadership().orElse(null);
			if (leadership == null) {
				logger.trace("Skipped a leader-only task: this application does not lead");
				return;
			}
			new Run(leadership).run(task);
		};
	}

	/**
	 * One run of a task, interrupted if its term ends while it runs.
	 */
	private static final class Run {

		private final Leadership leadership;

		private final Thread thread = Thread.currentThread();

		private boolean running = true;

		private boolean interrupted;

		Run(Leadership leadership) {
			this.leadership = leadership;
		}

		void run(Runnable task) {
			current.set(this.leadership);
			Registration registration = this.leadership.onRevoked((revocation) -> interrupt());
			try {
				task.run();
			}
			finally {
				registration.close();
				current.remove();
				synchronized (this) {
					this.running = false;
					if (this.interrupted) {
						// ours, not the scheduler's: the next run starts uninterrupted
						Thread.interrupted();
					}
				}
			}
		}

		private synchronized void interrupt() {
			if (this.running) {
				logger.info("Interrupting a leader-only task: " + this.leadership + " ended");
				this.interrupted = true;
				this.thread.interrupt();
			}
		}

	}

}
