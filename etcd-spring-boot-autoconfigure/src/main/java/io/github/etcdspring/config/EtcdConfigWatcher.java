package io.github.etcdspring.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.client.ClusterRestoreCheck;
import io.github.etcdspring.client.RetryBackoff;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.cloud.endpoint.event.RefreshEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Follows the etcd contexts that the environment was loaded from with one watch, and publishes one
 * {@link RefreshEvent} when, after a burst of changes, the configuration they define differs from the configuration
 * in force.
 * <p>
 * The watch starts at the revision the configuration was loaded at, so nothing written in between is missed. After a
 * burst ends ({@code etcd.config.watch.delay} without a change, or {@code max-delay} after its first change), the
 * contexts are read again in one transaction and compared with the etcd property sources of the environment: only a
 * difference in the resulting properties refreshes the application. A document that does not parse is reported once
 * and refreshes nothing, so the previous configuration stays in force until it is fixed. When the watch breaks, or
 * its revision was compacted, the contexts are read again before watching from the revision read.
 * <p>
 * Spring Cloud ignores refresh events until the application is ready; changes seen before are applied then.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdConfigWatcher implements SmartLifecycle, ApplicationListener<AvailabilityChangeEvent<?>>,
		DisposableBean {

	private static final Log logger = LogFactory.getLog(EtcdConfigWatcher.class);

	private final Client client;

	private final ConfigurableEnvironment environment;

	private final ApplicationEventPublisher eventPublisher;

	private final EtcdConfigReader reader;

	private final Duration delay;

	private final Duration maxDelay;

	private final RetryBackoff retryBackoff;

	private final ScheduledExecutorService executor;

	// Confined to the watch thread.
	private List<EtcdConfigContext> contexts = List.of();

	private final Set<String> changedKeys = new LinkedHashSet<>();

	private long revision;

	// of the first watch created; a watch created on another cluster means it was recreated
	private long clusterId;

	private final Duration requestTimeout;

	// Also closed by destroy(), whatever the watch thread is doing.
	private final Set<Watch.Watcher> watchers = ConcurrentHashMap.newKeySet();

	private boolean watchEachContext;

	private long watchGeneration;

	private long burstStartedAt;

	private long lastChangeAt;

	private @Nullable ScheduledFuture<?> pendingCheck;

	private int failedAttempts;

	private volatile boolean refreshPending;

	private @Nullable String lastMalformedMessage;

	private boolean ready;

	private volatile boolean running;

	public EtcdConfigWatcher(Client client, ConfigurableEnvironment environment,
			ApplicationEventPublisher eventPublisher, EtcdConfigProperties.Watch properties, Duration requestTimeout,
			RetryBackoff retryBackoff, EtcdConfigProperties.Limits limits) {
		this.client = client;
		this.environment = environment;
		this.eventPublisher = eventPublisher;
		this.reader = new EtcdConfigReader(client, requestTimeout, limits);
		this.requestTimeout = requestTimeout;
		this.delay = notNegative("delay", properties.getDelay());
		this.maxDelay = notNegative("max-delay", properties.getMaxDelay()).compareTo(this.delay) > 0
				? properties.getMaxDelay() : this.delay;
		this.retryBackoff = retryBackoff;
		this.executor = Executors.newSingleThreadScheduledExecutor(daemonThreads());
	}

	@Override
	public void start() {
		List<EtcdPropertySource> sources = loadedSources();
		if (sources.isEmpty()) {
			return;
		}
		this.running = true;
		onWatchThread(() -> {
			this.contexts = sources.stream().map(EtcdPropertySource::getContext).distinct().toList();
			long loadedRevision = sources.stream()
				.filter(EtcdPropertySource::isLoaded)
				.mapToLong(EtcdPropertySource::getRevision)
				.min()
				.orElse(0);
			if (loadedRevision > 0 && sources.stream().allMatch(EtcdPropertySource::isLoaded)) {
				this.revision = loadedRevision;
				startWatch(loadedRevision + 1);
			}
			else {
				resync();
			}
		});
	}

	@Override
	public void stop() {
		this.running = false;
		onWatchThread(this::closeWatcher);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Close the watches from the calling thread: the watch thread may be busy, in a read or a refresh, for long.
	 */
	@Override
	public void destroy() {
		this.running = false;
		this.executor.shutdownNow();
		closeWatches();
	}

	/**
	 * Spring Cloud's refresh listener starts handling events on {@code ApplicationReadyEvent}; readiness is
	 * published right after every listener of that event has run, so a refresh published from here is never
	 * ignored.
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

	private void startWatch(long fromRevision) {
		closeWatcher();
		if (!this.running) {
			return; // stopped while a retry or a read was under way
		}
		long generation = this.watchGeneration;
		for (WatchTarget target : watchTargets()) {
			WatchOption option = WatchOption.builder()
				.isPrefix(target.prefix())
				.withRevision(fromRevision)
				.withCreateNotify(true)
				.withRequireLeader(true)
				.build();
			this.watchers.add(this.client.getWatchClient()
				.watch(bytes(target.key()), option,
						Watch.listener((response) -> onWatchThread(generation, () -> onWatchResponse(response)),
								(error) -> onWatchThread(generation, () -> onWatchError(error)),
								() -> onWatchThread(generation, this::onWatchClosed))));
		}
		if (!this.running) {
			closeWatches(); // destroyed meanwhile, maybe before these watches were added
		}
	}

	/**
	 * One watch of the directory all contexts share; one watch per context when they share none, or when the user
	 * may read the contexts but not the directory. jetcd carries all of them on one stream.
	 */
	private List<WatchTarget> watchTargets() {
		String shared = commonPrefix(this.contexts);
		String directory = shared.substring(0, shared.lastIndexOf('/') + 1);
		if (!this.watchEachContext && !directory.isEmpty()) {
			return List.of(new WatchTarget(directory, true));
		}
		List<WatchTarget> targets = new ArrayList<>();
		for (EtcdConfigContext context : this.contexts) {
			if (context.isKeyValue()) {
				targets.add(new WatchTarget(context.keyPrefix(), true));
			}
			else {
				context.documentKeys().forEach((key) -> targets.add(new WatchTarget(key, false)));
			}
		}
		return targets;
	}

	private void onWatchResponse(WatchResponse response) {
		if (response.isCreatedNotify() && restoredOrUnknown(response)) {
			return;
		}
		this.failedAttempts = 0;
		for (WatchEvent event : response.getEvents()) {
			this.revision = Math.max(this.revision, event.getKeyValue().getModRevision());
			String key = event.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
			if (this.contexts.stream().anyMatch((context) -> context.contains(key))) {
				this.changedKeys.add(key);
			}
		}
		if (!this.changedKeys.isEmpty()) {
			scheduleCheck();
		}
	}

	/**
	 * Whether a created watch shows a cluster restored or recreated since the revision read, rather than a member
	 * that lags behind it.
	 */
	private boolean restoredOrUnknown(WatchResponse created) {
		if (this.clusterId == 0) {
			this.clusterId = created.getHeader().getClusterId();
		}
		// a key of the contexts, which the user may read even when the shared directory is not permitted
		ClusterRestoreCheck check = ClusterRestoreCheck.of(this.client, bytes(watchTargets().get(0).key()),
				this.requestTimeout);
		ClusterRestoreCheck.Verdict verdict;
		try {
			verdict = check.check(this.clusterId, this.revision, created.getHeader());
		}
		catch (RuntimeException ex) {
			logger.debug("Could not confirm the revision of the etcd configuration; reading it again later", ex);
			closeWatcher();
			retryLater(this::resync);
			return true;
		}
		if (verdict != ClusterRestoreCheck.Verdict.RESTORED) {
			return false;
		}
		logger.warn("The etcd revision went back from " + this.revision + " to " + created.getHeader().getRevision()
				+ ", or the cluster id changed (the cluster was restored or recreated); reading " + this.contexts
				+ " again");
		this.clusterId = created.getHeader().getClusterId();
		closeWatcher();
		resync();
		return true;
	}

	private void onWatchError(Throwable error) {
		closeWatcher();
		if (EtcdFailure.of(error) == EtcdFailure.PERMISSION_DENIED && !this.watchEachContext) {
			logger.info("Not permitted to watch the keys the etcd configuration contexts share; watching each "
					+ "context instead");
			this.watchEachContext = true;
			resync();
			return;
		}
		if (error instanceof CompactedException) {
			logger.info("Revision " + (this.revision + 1) + " of the etcd configuration was compacted; reading "
					+ this.contexts + " again");
		}
		else if (this.failedAttempts == 0) {
			logger.warn("The watch of the etcd configuration broke (" + EtcdFailure.of(error).description() + ": "
					+ EtcdFailure.messageOf(error) + "); keeping the configuration in force and reading it again "
					+ "once etcd answers");
		}
		retryLater(this::resync);
	}

	private void onWatchClosed() {
		closeWatcher();
		retryLater(this::resync);
	}

	/**
	 * Read the contexts, apply any difference, and watch from the revision read: after a broken watch, a compacted
	 * revision, or a startup without etcd.
	 */
	private void resync() {
		try {
			long readRevision = check();
			this.revision = readRevision;
			startWatch(readRevision + 1);
			if (this.failedAttempts > 0) {
				logger.info("Watching the etcd configuration again from revision " + (readRevision + 1));
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not read the etcd configuration; retrying", ex);
			retryLater(this::resync);
		}
	}

	private void scheduleCheck() {
		long now = System.nanoTime();
		if (this.pendingCheck == null) {
			this.burstStartedAt = now;
		}
		this.lastChangeAt = now;
		if (this.pendingCheck == null) {
			this.pendingCheck = this.executor.schedule(this::checkWhenQuiet, this.delay.toNanos(),
					TimeUnit.NANOSECONDS);
		}
	}

	private void checkWhenQuiet() {
		long now = System.nanoTime();
		long quietUntil = this.lastChangeAt + this.delay.toNanos();
		long latest = this.burstStartedAt + this.maxDelay.toNanos();
		if (now < quietUntil && now < latest) {
			this.pendingCheck = this.executor.schedule(this::checkWhenQuiet, Math.min(quietUntil, latest) - now,
					TimeUnit.NANOSECONDS);
			return;
		}
		this.pendingCheck = null;
		try {
			check();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read the etcd configuration after a change (" + EtcdFailure.of(ex).description()
					+ ": " + EtcdFailure.messageOf(ex) + "); retrying");
			closeWatcher();
			retryLater(this::resync);
		}
	}

	/**
	 * Read the contexts and refresh if the properties they define changed, unless a document does not parse.
	 * @return the revision read
	 */
	private long check() {
		List<MalformedConfigurationException> malformed = new ArrayList<>();
		List<EtcdPropertySource> current = this.reader.read(this.contexts, malformed::add);
		long readRevision = current.get(0).getRevision();
		if (!malformed.isEmpty()) {
			String message = malformed.get(0).getMessage();
			if (!message.equals(this.lastMalformedMessage)) {
				logger.error(message + "; keeping the configuration in force until it is fixed");
				this.lastMalformedMessage = message;
			}
			return readRevision;
		}
		this.lastMalformedMessage = null;
		Set<String> changedProperties = differences(effectiveProperties(loadedSources()),
				effectiveProperties(current));
		if (changedProperties.isEmpty()) {
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
		logger.info("Refreshing: " + change);
		try {
			this.eventPublisher.publishEvent(new RefreshEvent(this, change, change.toString()));
		}
		catch (RuntimeException ex) {
			logger.error("Refreshing the application after a change in etcd failed; the previous configuration "
					+ "stays in force", ex);
		}
		verifyApplied(current);
		return readRevision;
	}

	/**
	 * The refresh reads etcd again with the client of the config data import; when that read failed (its connection
	 * may still be backing off after an outage), try again later rather than wait for the next change.
	 */
	private void verifyApplied(List<EtcdPropertySource> read) {
		List<EtcdPropertySource> inForce = loadedSources();
		long readRevision = read.get(0).getRevision();
		// the refresh may have read an even newer revision, which differs from our read for good reason
		boolean readSinceByTheRefresh = !inForce.isEmpty()
				&& inForce.stream().allMatch((source) -> source.getRevision() >= readRevision);
		if (readSinceByTheRefresh
				|| differences(effectiveProperties(inForce), effectiveProperties(read)).isEmpty()) {
			this.failedAttempts = 0;
			return;
		}
		if (this.failedAttempts == 0) {
			logger.warn("The refresh did not apply the configuration read from etcd; trying again");
		}
		retryLater(this::checkAgain);
	}

	private void checkAgain() {
		try {
			check();
		}
		catch (RuntimeException ex) {
			retryLater(this::checkAgain);
		}
	}

	/**
	 * The etcd sources in force, lowest precedence first, as the reader returns them.
	 */
	private List<EtcdPropertySource> loadedSources() {
		List<EtcdPropertySource> sources = new ArrayList<>(
				EtcdPropertySources.find(this.environment.getPropertySources()));
		Collections.reverse(sources);
		return sources;
	}

	/**
	 * What a list of sources defines, the later ones winning; for the watcher's own reads, in the precedence order
	 * of the contexts in force.
	 */
	private Map<String, Object> effectiveProperties(List<EtcdPropertySource> sources) {
		Map<String, Object> properties = new HashMap<>();
		for (EtcdConfigContext context : this.contexts) {
			sources.stream()
				.filter((source) -> source.getContext().equals(context))
				.forEach((source) -> {
					for (String name : source.getPropertyNames()) {
						properties.put(name, source.getProperty(name));
					}
				});
		}
		return properties;
	}

	private static Set<String> differences(Map<String, Object> before, Map<String, Object> after) {
		Set<String> changed = new TreeSet<>();
		before.forEach((name, value) -> {
			if (!Objects.equals(String.valueOf(value), String.valueOf(after.get(name))) || !after.containsKey(name)) {
				changed.add(name);
			}
		});
		after.keySet().stream().filter((name) -> !before.containsKey(name)).forEach(changed::add);
		return changed;
	}

	private void retryLater(Runnable task) {
		if (!this.running) {
			return;
		}
		long delayMillis = this.retryBackoff.delayMillis(this.failedAttempts);
		this.failedAttempts++;
		// a retry due after stop() must not read or watch again
		this.executor.schedule(() -> {
			if (this.running) {
				task.run();
			}
		}, delayMillis, TimeUnit.MILLISECONDS);
	}

	private void closeWatcher() {
		this.watchGeneration++;
		closeWatches();
	}

	private void closeWatches() {
		this.watchers.removeIf((watcher) -> {
			watcher.close();
			return true;
		});
	}

	private void onWatchThread(Runnable task) {
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// destroyed
		}
	}

	private void onWatchThread(long generation, Runnable task) {
		onWatchThread(() -> {
			if (generation == this.watchGeneration && this.running) {
				task.run();
			}
		});
	}

	/**
	 * One watch covers every context: the longest prefix their keys share.
	 */
	static String commonPrefix(List<EtcdConfigContext> contexts) {
		String prefix = null;
		for (EtcdConfigContext context : contexts) {
			List<String> keys = context.isKeyValue() ? List.of(context.keyPrefix()) : context.documentKeys();
			for (String key : keys) {
				prefix = (prefix == null) ? key : commonPrefix(prefix, key);
			}
		}
		return (prefix != null) ? prefix : "";
	}

	private static String commonPrefix(String first, String second) {
		int length = 0;
		while (length < first.length() && length < second.length()
				&& first.charAt(length) == second.charAt(length)) {
			length++;
		}
		return first.substring(0, length);
	}

	private static Duration notNegative(String property, @Nullable Duration value) {
		if (value == null || value.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(EtcdConfigProperties.PREFIX + ".watch." + property,
					value, "Must be a duration of zero or more, e.g. 50ms");
		}
		return value;
	}

	private record WatchTarget(String key, boolean prefix) {
	}

	private static ByteSequence bytes(String value) {
		return ByteSequence.from(value, StandardCharsets.UTF_8);
	}

	private static CustomizableThreadFactory daemonThreads() {
		CustomizableThreadFactory threadFactory = new CustomizableThreadFactory("etcd-config-watch-");
		threadFactory.setDaemon(true);
		return threadFactory;
	}

}
