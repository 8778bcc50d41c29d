package io.github.etcdspring.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.watch.PrefixWatch;
import io.github.etcdspring.watch.Recovery;
import io.github.etcdspring.watch.WatchCounts;
import io.github.etcdspring.watch.WatchListener;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Follows the etcd contexts that the environment was loaded from with one watch, and
 * refreshes the application when the configuration they define differs from the
 * configuration in force.
 * <p>
 * The watch starts at the revision the configuration was loaded at, so nothing written in
 * between is missed. A change after a quiet period ({@code etcd.config.watch.delay}
 * without a refresh) is checked at once; the changes that follow are checked together
 * once they pause, or {@code max-delay} after the first of them. A check reads the
 * contexts again in one transaction and compares them with the etcd property sources of
 * the environment: only a difference in the resulting properties refreshes the
 * application, as the {@code refresh-mode} says ({@link ConfigRefresh}): in place, from
 * that read, or with Spring Cloud's full refresh, which reads etcd again. A document that
 * does not parse is reported once and refreshes nothing, so the previous configuration
 * stays in force until it is fixed. The {@link PrefixWatch} reports when the watch
 * breaks, or its revision was compacted: the contexts are then read again before watching
 * from the revision read. The ranges watched come from {@link ConfigWatchRanges}, the
 * bursts end in {@link BurstDebounce}, the comparison is {@link PropertyDifferences} and
 * the {@link ConfigRefreshObserver} observes and records the checks.
 * <p>
 * Spring Cloud ignores refresh events until the application is ready; changes seen before
 * are applied then.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdConfigWatcher
		implements SmartLifecycle, ApplicationListener<AvailabilityChangeEvent<?>>, DisposableBean {

	private static final Log logger = LogFactory.getLog(EtcdConfigWatcher.class);

	private final ConfigurableEnvironment environment;

	private final ConfigRefresh refresh;

	private final EtcdConfigReader reader;

	private final ScheduledExecutorService executor;

	private final BurstDebounce debounce;

	private final ConfigRefreshObserver observer;

	// Closed by any thread: stop() and destroy() never wait for the watch thread, which
	// may be busy for long.
	private final PrefixWatch watch;

	// Confined to the watch thread.
	private List<EtcdConfigContext> contexts = List.of();

	private final Set<String> changedKeys = new LinkedHashSet<>();

	private boolean watchEachContext;

	private volatile boolean refreshPending;

	private boolean ready;

	private volatile boolean running;

	/**
	 * A watcher of the etcd sources of the environment, which refreshes the application
	 * and its {@code refreshScope} ({@code @RefreshScope} beans) as {@code properties}
	 * say, recording what it does in {@code history} and observing its reads and
	 * refreshes with {@code observations}.
	 */
	public EtcdConfigWatcher(Client client, ConfigurableEnvironment environment, ApplicationContext applicationContext,
			ObjectProvider<RefreshScope> refreshScope, EtcdConfigProperties.Watch properties, Duration requestTimeout,
			RetryBackoff retryBackoff, EtcdConfigProperties.Limits limits, ConfigRefreshHistory history,
			ObservationRegistry observations) {
		this.environment = environment;
		this.refresh = new ConfigRefresh(properties.getRefreshMode(), environment, applicationContext, refreshScope);
		this.reader = new EtcdConfigReader(client, requestTimeout, limits);
		this.executor = Executors.newSingleThreadScheduledExecutor(daemonThreads());
		this.debounce = BurstDebounce.of(this.executor, properties, this::checkAfterBurst);
		this.observer = new ConfigRefreshObserver(history, observations, properties.getRefreshMode());
		this.watch = new PrefixWatch(client, this.executor, retryBackoff, requestTimeout, Recovery.READ_AGAIN,
				"the etcd configuration", new WatchedContexts());
	}

	@Override
	public void start() {
		List<EtcdPropertySource> sources = loadedSources();
		if (sources.isEmpty()) {
			return;
		}
		this.running = true;
		this.watch.open();
		onWatchThread(() -> {
			this.contexts = sources.stream().map(EtcdPropertySource::getContext).distinct().toList();
			long loadedRevision = sources.stream()
				.filter(EtcdPropertySource::isLoaded)
				.mapToLong(EtcdPropertySource::getRevision)
				.min()
				.orElse(0);
			if (loadedRevision > 0 && sources.stream().allMatch(EtcdPropertySource::isLoaded)) {
				this.watch.start(ConfigWatchRanges.of(this.contexts, this.watchEachContext), loadedRevision, 0);
			}
			else {
				resync();
			}
		});
	}

	@Override
	public void stop() {
		this.running = false;
		this.watch.close();
	}

	/**
	 * What the watch of the configuration saw: events applied, reconnects, resets.
	 * @return the counts, kept for as long as the watcher lives
	 */
	public WatchCounts getWatchCounts() {
		return this.watch.counts();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Close the watches from the calling thread: the watch thread may be busy, in a read
	 * or a refresh, for long.
	 */
	@Override
	public void destroy() {
		this.running = false;
		this.watch.close();
		this.executor.shutdownNow();
	}

	/**
	 * Spring Cloud's refresh listener starts handling events on
	 * {@code ApplicationReadyEvent}; readiness is published right after every listener of
	 * that event has run, so a refresh published from here is never ignored.
	 */
	@Override
	public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
		if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
			onWatchThread(() -> {
				this.ready = true;
				if (this.refreshPending) {
					checkAgain();
				}
			});
		}
	}

	/**
	 * Whether a change waits for the application to be ready before refreshing it.
	 * @return whether a refresh is pending
	 */
	boolean isRefreshPending() {
		return this.refreshPending;
	}

	// ---------------------------------------------------------------- the watch thread

	private final class WatchedContexts implements WatchListener {

		@Override
		public void onChanges(List<WatchEvent> changes) {
			for (WatchEvent event : changes) {
				String key = event.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
				if (EtcdConfigWatcher.this.contexts.stream().anyMatch((context) -> context.contains(key))) {
					EtcdConfigWatcher.this.changedKeys.add(key);
				}
			}
			if (!EtcdConfigWatcher.this.changedKeys.isEmpty()) {
				EtcdConfigWatcher.this.debounce.changed();
			}
		}

		@Override
		public void onReset(WatchListener.Reset reset, @Nullable Throwable cause) {
			if (reset == WatchListener.Reset.RESTORED) {
				resync();
			}
			else if (cause != null && EtcdFailure.of(cause) == EtcdFailure.PERMISSION_DENIED
					&& !EtcdConfigWatcher.this.watchEachContext) {
				logger.info("Not permitted to watch the keys the etcd configuration contexts share; watching each "
						+ "context instead");
				EtcdConfigWatcher.this.watchEachContext = true;
				resync();
			}
			else {
				if (reset == WatchListener.Reset.BROKEN && cause != null
						&& EtcdConfigWatcher.this.watch.failedAttempts() == 0) {
					logger.warn("The watch of the etcd configuration broke (" + EtcdFailure.of(cause).description()
							+ ": " + EtcdFailure.messageOf(cause) + "); keeping the configuration in force and "
							+ "reading it again once etcd answers");
				}
				EtcdConfigWatcher.this.watch.retryLater(EtcdConfigWatcher.this::resync);
			}
		}

	}

	/**
	 * Read the contexts, apply any difference, and watch from the revision read: after a
	 * broken watch, a compacted revision, or a startup without etcd.
	 */
	private void resync() {
		try {
			long readRevision = check();
			this.watch.start(ConfigWatchRanges.of(this.contexts, this.watchEachContext), readRevision, 0);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not read the etcd configuration; retrying", ex);
			this.watch.retryLater(this::resync);
		}
	}

	private void checkAfterBurst() {
		try {
			check();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read the etcd configuration after a change (" + EtcdFailure.of(ex).description()
					+ ": " + EtcdFailure.messageOf(ex) + "); retrying");
			this.watch.closeWatches();
			this.watch.retryLater(this::resync);
		}
	}

	/**
	 * Read the contexts and refresh if the properties they define changed, unless a
	 * document does not parse.
	 * @return the revision read
	 */
	private long check() {
		List<MalformedConfigurationException> malformed = new ArrayList<>();
		List<EtcdPropertySource> current = this.observer.load(() -> this.reader.read(this.contexts, malformed::add),
				malformed);
		long readRevision = current.get(0).getRevision();
		if (!malformed.isEmpty()) {
			this.observer.rejected(readRevision, this.changedKeys, malformed);
			return readRevision;
		}
		Set<String> changedProperties = PropertyDifferences.between(this.contexts, loadedSources(), current);
		if (changedProperties.isEmpty()) {
			this.observer.unchanged(readRevision, this.changedKeys);
			this.changedKeys.clear();
			this.refreshPending = false;
			return readRevision;
		}
		if (!this.ready || !this.running) {
			this.refreshPending = this.running;
			return readRevision;
		}
		EtcdConfigChange change = new EtcdConfigChange(readRevision,
				Collections.unmodifiableSet(new TreeSet<>(this.changedKeys)),
				Collections.unmodifiableSet(changedProperties));
		this.changedKeys.clear();
		this.refreshPending = false;
		this.observer.refresh(change, () -> this.refresh.apply(this, change, loadedSources(), current));
		if (this.refresh.readsAgain()) {
			verifyApplied(current);
		}
		else {
			this.watch.attemptSucceeded();
		}
		return readRevision;
	}

	/**
	 * The full refresh reads etcd again with the client of the config data import; when
	 * that read failed (its connection may still be backing off after an outage), try
	 * again later rather than wait for the next change.
	 */
	private void verifyApplied(List<EtcdPropertySource> read) {
		List<EtcdPropertySource> inForce = loadedSources();
		long readRevision = read.get(0).getRevision();
		// the refresh may have read an even newer revision, which differs from our read
		// for good reason
		boolean readSinceByTheRefresh = !inForce.isEmpty()
				&& inForce.stream().allMatch((source) -> source.getRevision() >= readRevision);
		if (readSinceByTheRefresh || PropertyDifferences.between(this.contexts, inForce, read).isEmpty()) {
			this.watch.attemptSucceeded();
			return;
		}
		if (this.watch.failedAttempts() == 0) {
			logger.warn("The refresh did not apply the configuration read from etcd; trying again");
		}
		this.watch.retryLater(this::checkAgain);
	}

	private void checkAgain() {
		try {
			check();
		}
		catch (RuntimeException ex) {
			this.watch.retryLater(this::checkAgain);
		}
	}

	private List<EtcdPropertySource> loadedSources() {
		return EtcdPropertySources.findLowestFirst(this.environment.getPropertySources());
	}

	private void onWatchThread(Runnable task) {
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// destroyed
		}
	}

	private static CustomizableThreadFactory daemonThreads() {
		CustomizableThreadFactory threadFactory = new CustomizableThreadFactory("etcd-config-watch-");
		threadFactory.setDaemon(true);
		return threadFactory;
	}

}
