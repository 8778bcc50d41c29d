package io.github.etcdspring.leader;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.etcdspring.client.RetryBackoff;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The application's own leadership ({@code etcd.leader.enabled=true}): it campaigns in
 * its election once its context has been refreshed and started (so that every listener
 * exists), publishes an {@link EtcdLeadershipGrantedEvent} when it leads and an
 * {@link EtcdLeadershipRevokedEvent} when that ends, and campaigns again after a loss or
 * a {@link #yieldLeadership() yield}, each time for a new term with a new fencing token.
 * Events are published one at a time, in order, on its own thread {@code etcd-leader-}.
 * {@link #isLeader()} agrees with the last event: true only between a granted event and
 * the loss of its term.
 * <p>
 * It resigns when the context stops, in the first lifecycle phase to stop, before the web
 * server drains its requests ({@code WebServerGracefulShutdownLifecycle} stops later),
 * and publishes the revoked event while the context still delivers it.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdLeaderInitiator implements SmartLifecycle, ApplicationListener<ContextRefreshedEvent>, DisposableBean {

	/** Starts last and stops first: after and before the web server. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE;

	private static final Log logger = LogFactory.getLog(EtcdLeaderInitiator.class);

	private final EtcdLeaderElection election;

	private final String name;

	private final Supplier<String> proposal;

	private final ApplicationContext context;

	private final RetryBackoff retryBackoff;

	private final Duration requestTimeout;

	private final ScheduledExecutorService executor;

	private final Object monitor = new Object();

	private boolean running;

	private boolean refreshed;

	private @Nullable Candidacy candidacy;

	// Confined to the executor.
	private int failedAttempts;

	private volatile @Nullable Leadership announced;

	/**
	 * @param election the election bean
	 * @param name the election name
	 * @param proposal the proposal, asked at each campaign
	 * @param context the context whose refresh starts the campaign, and which publishes
	 * the events
	 * @param retryBackoff the delays between failed campaigns
	 * @param requestTimeout how long stopping waits for the revoked event to be published
	 */
	public EtcdLeaderInitiator(EtcdLeaderElection election, String name, Supplier<String> proposal,
			ApplicationContext context, RetryBackoff retryBackoff, Duration requestTimeout) {
		this.election = election;
		this.name = name;
		this.proposal = proposal;
		this.context = context;
		this.retryBackoff = retryBackoff;
		this.requestTimeout = requestTimeout;
		CustomizableThreadFactory threads = new CustomizableThreadFactory("etcd-leader-");
		threads.setDaemon(true);
		this.executor = Executors.newSingleThreadScheduledExecutor(threads);
	}

	/**
	 * The election name.
	 * @return the name
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * Whether the application leads: a granted event was published and its term goes on.
	 * @return whether leading
	 */
	public boolean isLeader() {
		Leadership current = this.announced;
		return current != null && current.isLeader();
	}

	/**
	 * The current term, as announced by the last granted event.
	 * @return the leadership, empty when not leading
	 */
	public Optional<Leadership> getLeadership() {
		return Optional.ofNullable(this.announced).filter(Leadership::isLeader);
	}

	/**
	 * Resign, waiting for etcd, and campaign again; another candidate leads meanwhile, if
	 * there is one. Nothing happens when not leading.
	 */
	public void yieldLeadership() {
		Leadership current = this.announced;
		if (current != null) {
			current.resign();
		}
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		if (event.getApplicationContext() != this.context) {
			return;
		}
		synchronized (this.monitor) {
			this.refreshed = true;
			if (this.running) {
				submit(this::campaign);
			}
		}
	}

	@Override
	public void start() {
		synchronized (this.monitor) {
			if (this.running) {
				return;
			}
			this.running = true;
			if (this.refreshed) {
				submit(this::campaign);
			}
		}
	}

	/**
	 * Stop campaigning and resign, waiting for etcd and for the revoked event to be
	 * published.
	 */
	@Override
	public void stop() {
		Candidacy withdrawn;
		synchronized (this.monitor) {
			this.running = false;
			withdrawn = this.candidacy;
			this.candidacy = null;
		}
		if (withdrawn != null) {
			try {
				withdrawn.close();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not resign the leadership of '" + this.name
						+ "'; it ends with the session lease when the application stops", ex);
			}
		}
		try {
			this.executor.submit(() -> {
			}).get(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			logger.debug("The last leadership events of '" + this.name + "' were not published in time", ex);
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		synchronized (this.monitor) {
			return this.running;
		}
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

	// ---------------------------------------------------------------- on the executor

	private void campaign() {
		synchronized (this.monitor) {
			if (!this.running || this.candidacy != null) {
				return;
			}
		}
		Candidacy started;
		try {
			started = this.election.campaign(this.name, this.proposal.get(), new Listener());
		}
		catch (RuntimeException ex) {
			campaignFailed(ex);
			return;
		}
		synchronized (this.monitor) {
			if (this.running) {
				this.candidacy = started;
				return;
			}
		}
		started.close();
	}

	private void campaignFailed(Throwable failure) {
		synchronized (this.monitor) {
			this.candidacy = null;
			if (!this.running) {
				return;
			}
		}
		long delay = this.retryBackoff.delayMillis(this.failedAttempts++);
		logger.warn("The campaign for the leadership of '" + this.name + "' failed; campaigning again in " + delay
				+ " ms: " + failure);
		try {
			this.executor.schedule(this::campaign, delay, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// destroyed
		}
	}

	private void granted(Leadership leadership) {
		this.failedAttempts = 0;
		if (leadership.isLeader()) {
			logger.info("This application leads '" + this.name + "' (fencing token " + leadership.fencingToken() + ")");
			this.announced = leadership;
			publish(new EtcdLeadershipGrantedEvent(this, leadership));
		}
	}

	private void revoked(Leadership leadership, Revocation revocation) {
		if (this.announced == leadership) {
			this.announced = null;
			if (revocation.lost()) {
				logger.warn("This application no longer leads '" + this.name + "': " + revocation.reason());
			}
			publish(new EtcdLeadershipRevokedEvent(this, leadership, revocation));
		}
		synchronized (this.monitor) {
			this.candidacy = null;
		}
		campaign();
	}

	private void publish(ApplicationEvent event) {
		try {
			this.context.publishEvent(event);
		}
		catch (RuntimeException ex) {
			logger.error("A listener of " + event.getClass().getSimpleName() + " failed", ex);
		}
	}

	private void submit(Runnable task) {
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// destroyed
		}
	}

	private final class Listener implements LeadershipListener {

		@Override
		public void granted(Leadership leadership) {
			submit(() -> EtcdLeaderInitiator.this.granted(leadership));
		}

		@Override
		public void revoked(Leadership leadership, Revocation revocation) {
			submit(() -> EtcdLeaderInitiator.this.revoked(leadership, revocation));
		}

		@Override
		public void failed(Throwable failure) {
			submit(() -> campaignFailed(failure));
		}

	}

}
