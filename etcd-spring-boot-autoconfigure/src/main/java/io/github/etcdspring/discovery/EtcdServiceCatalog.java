package io.github.etcdspring.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.github.etcdspring.client.ClusterRestoreCheck;
import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.RegistryKeyLayout;
import io.github.etcdspring.format.RegistryKeyLayout.InstanceKey;
import io.github.etcdspring.format.ServiceInstanceCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * An in-memory copy of the whole registry, kept current by one prefix watch, so that lookups need no network round
 * trip.
 * <p>
 * The copy is loaded with one range read at revision R, then a watch started at R+1 applies every later change, in
 * revision order, on a single discovery thread. When the watch breaks, a new one resumes from the last revision
 * applied; when that revision has been compacted, or the cluster was restored or recreated (see
 * {@link ClusterRestoreCheck}: a member that merely lags is not), the registry is read again and only the difference
 * is applied. Changes are therefore never missed nor applied twice, and each revision that changes an instance
 * publishes one {@link HeartbeatEvent} carrying it. The registry is read in pages, smaller ones when a page exceeds
 * {@code etcd.max-inbound-message-size}; a watch batch that exceeds it is replaced by such a read. Every retry waits
 * the jittered {@link RetryBackoff}.
 * <p>
 * Values that the {@link ServiceInstanceCodec} cannot read are skipped with one warning naming the key.
 * <p>
 * This class owns the watch, the reload, the retries and the lifecycle. It delegates the copy and its differences to
 * {@link CatalogStorage}, the listeners to {@link CatalogListeners}, the decoding of a key/value to
 * {@link RegistryValueDecoder} and the paged read to {@link RegistryReader}. It is still over 350 lines because the
 * watch scaffolding (resume, restore check, backoff, generation guards) lives here until the one resumable prefix
 * watch that the config watcher will share replaces it.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdServiceCatalog implements SmartLifecycle, DisposableBean {

	/**
	 * Before the web server, so that discovery works from the first request, and until the server has drained.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Log logger = LogFactory.getLog(EtcdServiceCatalog.class);

	private final Client client;

	private final RegistryKeyLayout layout;

	private final RegistryReader reader;

	private final RegistryValueDecoder decoder;

	private final ApplicationEventPublisher eventPublisher;

	private final RetryBackoff retryBackoff;

	private final boolean failFast;

	private final ClusterRestoreCheck restoreCheck;

	private final ScheduledExecutorService executor;

	private volatile @Nullable Thread discoveryThread;

	// Changed on the discovery thread, read by any thread.
	private final CatalogStorage storage;

	private final CatalogListeners listeners;

	private long revision;

	private long clusterId;

	private int failedAttempts;

	private @Nullable ScheduledFuture<?> pendingRetry;

	// Started on the discovery thread, closed by any thread: stop() and destroy() never wait for a busy thread.
	private final Object watchLock = new Object();

	private Watch.@Nullable Watcher watcher;

	private volatile long watchGeneration;

	private volatile boolean running;

	// Changed by each start() and stop(): a retry scheduled before runs only in the same lifecycle.
	private volatile long lifecycle;

	public EtcdServiceCatalog(Client client, RegistryKeyLayout layout, ServiceInstanceCodec codec,
			ApplicationEventPublisher eventPublisher, boolean includeUnavailableInstances, Duration requestTimeout,
			Duration retryDelay, Duration maxRetryDelay, boolean failFast) {
		this.client = client;
		this.layout = layout;
		this.reader = new RegistryReader(client, layout, requestTimeout);
		this.decoder = new RegistryValueDecoder(layout, codec);
		this.eventPublisher = eventPublisher;
		this.retryBackoff = new RetryBackoff(retryDelay, maxRetryDelay);
		this.failFast = failFast;
		this.restoreCheck = ClusterRestoreCheck.of(client, layout.registryPrefix(), requestTimeout);
		ThreadFactory threads = daemonThreads("etcd-discovery-");
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = threads.newThread(task);
			this.discoveryThread = thread;
			return thread;
		});
		this.storage = new CatalogStorage(includeUnavailableInstances, layout.toString());
		this.listeners = new CatalogListeners(this.storage, this.executor);
	}

	// ---------------------------------------------------------------- reading

	/**
	 * The instances of a service, from memory.
	 * @param serviceId the service
	 * @return the UP instances (all instances when unavailable ones are included), ordered by instance id
	 * @throws IllegalStateException when the registry could not be read yet
	 */
	public List<ServiceInstance> getInstances(String serviceId) {
		return this.storage.getInstances(serviceId);
	}

	/**
	 * The services that have at least one discoverable instance, from memory.
	 * @return the service ids, sorted
	 * @throws IllegalStateException when the registry could not be read yet
	 */
	public List<String> getServices() {
		return this.storage.getServices();
	}

	/**
	 * Every instance of a service, whatever its status.
	 * @param serviceId the service
	 * @return the instances, ordered by instance id
	 */
	public List<EtcdServiceInstance> getAllInstances(String serviceId) {
		return this.storage.getAllInstances(serviceId);
	}

	/**
	 * Every instance of every service, whatever its status.
	 * @return the instances, ordered by service and instance id
	 */
	public List<EtcdServiceInstance> getAllInstances() {
		return this.storage.getAllInstances();
	}

	/**
	 * The revision of etcd the copy reflects.
	 * @return the revision, 0 before the first load
	 */
	public long getRevision() {
		return this.storage.revision();
	}

	public boolean isLoaded() {
		return this.storage.isLoaded();
	}

	/**
	 * Check with one request that etcd answers for the registry.
	 * @throws IllegalStateException when it does not
	 */
	public void probe() {
		this.reader.probe();
	}

	/**
	 * Check with one request that etcd answers for the registry.
	 * @return the pending request
	 */
	public CompletableFuture<Void> probeAsync() {
		return this.reader.probeAsync();
	}

	// ---------------------------------------------------------------- listening

	/**
	 * Receive every change of one service, or of all services.
	 * @param serviceId the service, or {@code null} for all
	 * @param listener the listener, called on the discovery thread
	 * @return the subscription, to close when done
	 */
	public Subscription subscribe(@Nullable String serviceId, EtcdServiceListener listener) {
		return this.listeners.subscribe(serviceId, listener);
	}

	/**
	 * Receive the discoverable instances of a service now and after each change, like the {@code Watch} of the Go
	 * registries.
	 * @param serviceId the service
	 * @param listener called on the discovery thread with the instances, as {@link #getInstances} returns them
	 * @return the subscription, to close when done
	 */
	public Subscription watch(String serviceId, Consumer<List<ServiceInstance>> listener) {
		return this.listeners.watch(serviceId, listener);
	}

	// ---------------------------------------------------------------- lifecycle

	/**
	 * Read the registry and watch it. Waits for the read, unless called from a listener on the discovery thread
	 * (which reads right away) or interrupted (the read goes on in the background, retried until it succeeds).
	 * @throws IllegalStateException when the registry could not be read and fail-fast is on
	 */
	@Override
	public void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		this.lifecycle++;
		try {
			if (isDiscoveryThread()) {
				reload();
			}
			else {
				this.executor.submit(this::reload).get();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			// the read goes on without us: it must end with a watch, or with retries until there is one
			this.executor.execute(this::retryUnlessWatching);
		}
		catch (ExecutionException ex) {
			startFailed(ex.getCause());
		}
		catch (RuntimeException ex) {
			startFailed(ex);
		}
	}

	private void startFailed(Throwable failure) {
		if (this.failFast) {
			this.running = false;
			throw new IllegalStateException("Could not read the etcd service registry under '" + this.layout + "': "
					+ reasonOf(failure), failure);
		}
		logger.warn("Could not read the etcd service registry under '" + this.layout + "' (" + reasonOf(failure)
				+ "); discovery retries in the background");
		onDiscoveryThread(this::retryUnlessWatching);
	}

	/**
	 * Close the watch and cancel any retry. Returns without waiting for the discovery thread, which may be busy
	 * (or be the caller): nothing it does afterwards starts a watch.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.lifecycle++;
		closeWatcher();
		onDiscoveryThread(() -> {
			if (this.pendingRetry != null) {
				this.pendingRetry.cancel(false);
			}
		});
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public void destroy() {
		this.running = false;
		this.lifecycle++;
		closeWatcher();
		this.executor.shutdownNow();
	}

	// ---------------------------------------------------------------- the discovery thread

	/**
	 * Read the whole registry, apply the difference with the copy, and watch from the revision read.
	 */
	private void reload() {
		RegistryReader.RegistryRead read = this.reader.readAll();
		long readRevision = read.revision();
		this.clusterId = read.clusterId();
		List<EtcdServiceInstance> instances = new ArrayList<>();
		for (KeyValue keyValue : read.keyValues()) {
			EtcdServiceInstance instance = this.decoder.decode(keyValue);
			if (instance != null) {
				instances.add(instance);
			}
		}
		List<EtcdServiceEvent> events = this.storage.differencesTo(instances, readRevision);
		// Not the maximum: a recreated cluster counts its revisions from 1 again.
		this.revision = readRevision;
		apply(events, readRevision);
		this.failedAttempts = 0;
		startWatch(readRevision + 1);
	}

	private void reloadQuietly() {
		try {
			reload();
			logger.info("Read the etcd service registry under '" + this.layout + "' at revision " + this.revision);
		}
		catch (RuntimeException ex) {
			if (ex instanceof RegistryTooLargeException && this.failedAttempts == 0) {
				logger.warn(ex.getMessage() + "; retrying");
			}
			logger.debug("Could not read the etcd service registry; retrying", ex);
			retryLater(this::reloadQuietly);
		}
	}

	private void startWatch(long fromRevision) {
		WatchOption option = WatchOption.builder()
			.isPrefix(true)
			.withRevision(fromRevision)
			.withProgressNotify(true)
			.withCreateNotify(true)
			// a member cut off from its cluster would otherwise stay silent rather than fail the watch
			.withRequireLeader(true)
			.build();
		synchronized (this.watchLock) {
			closeWatcher();
			if (!this.running) {
				return; // stopped while reading
			}
			long generation = this.watchGeneration;
			this.watcher = this.client.getWatchClient()
				.watch(this.layout.registryPrefix(), option,
						Watch.listener((response) -> onDiscoveryThread(generation, () -> onWatchResponse(response)),
								(error) -> onDiscoveryThread(generation, () -> onWatchError(error)),
								() -> onDiscoveryThread(generation, this::onWatchClosed)));
		}
	}

	private void onWatchResponse(WatchResponse response) {
		if (response.isCreatedNotify()) {
			ClusterRestoreCheck.Verdict verdict;
			try {
				verdict = this.restoreCheck.check(this.clusterId, this.revision, response.getHeader());
			}
			catch (RuntimeException ex) {
				onWatchError(ex);
				return;
			}
			if (verdict == ClusterRestoreCheck.Verdict.RESTORED) {
				logger.warn("The etcd revision went back from " + this.revision + " to "
						+ response.getHeader().getRevision() + ", or the cluster id changed (the cluster was restored "
						+ "or recreated); reading the service registry again");
				closeWatcher();
				reloadQuietly();
				return;
			}
			if (verdict == ClusterRestoreCheck.Verdict.LAGGING_MEMBER && logger.isDebugEnabled()) {
				logger.debug("The watch of the etcd service registry is on a member at revision "
						+ response.getHeader().getRevision() + ", behind " + this.revision
						+ "; it delivers the changes once the member catches up");
			}
			if (this.failedAttempts > 0) {
				logger.info("Watching the etcd service registry again from revision " + (this.revision + 1));
				this.failedAttempts = 0;
			}
			return;
		}
		if (response.isProgressNotify()) {
			this.revision = Math.max(this.revision, response.getHeader().getRevision());
			return;
		}
		Map<Long, List<WatchEvent>> eventsByRevision = new TreeMap<>();
		for (WatchEvent event : response.getEvents()) {
			eventsByRevision.computeIfAbsent(event.getKeyValue().getModRevision(), (revision) -> new ArrayList<>())
				.add(event);
		}
		eventsByRevision.forEach((eventRevision, watchEvents) -> {
			if (eventRevision <= this.revision) {
				return; // already part of the copy
			}
			List<EtcdServiceEvent> events = new ArrayList<>();
			watchEvents.forEach((event) -> toServiceEvent(event, eventRevision, events));
			apply(events, eventRevision);
		});
	}

	private void toServiceEvent(WatchEvent event, long eventRevision, List<EtcdServiceEvent> events) {
		InstanceKey key = this.decoder.parse(event.getKeyValue());
		if (key == null) {
			return;
		}
		EtcdServiceInstance instance = (event.getEventType() == WatchEvent.EventType.PUT)
				? this.decoder.decode(event.getKeyValue(), key) : null;
		EtcdServiceEvent change = this.storage.changeOf(key.serviceId(), key.instanceId(), instance, eventRevision);
		if (change != null) {
			events.add(change);
		}
	}

	private void onWatchError(Throwable error) {
		closeWatcher();
		if (error instanceof CompactedException compacted) {
			logger.warn("Revision " + (this.revision + 1) + " of the etcd service registry was compacted (up to "
					+ compacted.getCompactedRevision() + "); reading the registry again");
			reloadQuietly();
			return;
		}
		if (EtcdFailure.of(error) == EtcdFailure.TOO_LARGE) {
			// resuming would fetch the same batch again: read the registry in pages and watch from there instead
			logger.warn("The changes of the etcd service registry from revision " + (this.revision + 1)
					+ " exceed etcd.max-inbound-message-size; reading the registry again");
			reloadQuietly();
			return;
		}
		if (this.failedAttempts == 0) {
			logger.warn("The watch of the etcd service registry broke (" + EtcdFailure.of(error).description() + ": "
					+ EtcdFailure.messageOf(error) + "); serving the last known instances and resuming from revision "
					+ (this.revision + 1));
		}
		retryLater(this::resumeWatch);
	}

	/**
	 * The server ended the watch without an error (jetcd's own closes after an error never get here, the error
	 * handler having closed the watch first): resume it.
	 */
	private void onWatchClosed() {
		closeWatcher();
		retryLater(this::resumeWatch);
	}

	private void resumeWatch() {
		startWatch(this.revision + 1);
	}

	/**
	 * Apply the events of one revision to the copy, publish it, then tell the listeners.
	 */
	private void apply(List<EtcdServiceEvent> events, long newRevision) {
		this.revision = Math.max(this.revision, newRevision);
		Set<String> changedServices = this.storage.apply(events, this.revision);
		if (events.isEmpty()) {
			return;
		}
		this.listeners.notify(events, changedServices);
		HeartbeatEvent heartbeat = new HeartbeatEvent(this, this.revision);
		CatalogListeners.notifySafely(() -> this.eventPublisher.publishEvent(heartbeat));
	}

	private void closeWatcher() {
		synchronized (this.watchLock) {
			this.watchGeneration++;
			Watch.Watcher current = this.watcher;
			this.watcher = null;
			if (current != null) {
				current.close();
			}
		}
	}

	/**
	 * After a start whose read failed or was abandoned: retry, unless the read succeeded after all.
	 */
	private void retryUnlessWatching() {
		boolean watching;
		synchronized (this.watchLock) {
			watching = this.watcher != null;
		}
		if (!watching && (this.pendingRetry == null || this.pendingRetry.isDone())) {
			retryLater(this::reloadQuietly);
		}
	}

	private void retryLater(Runnable task) {
		if (!this.running) {
			return;
		}
		long lifecycleOfRetry = this.lifecycle;
		long delay = this.retryBackoff.delayMillis(this.failedAttempts);
		this.failedAttempts++;
		try {
			this.pendingRetry = this.executor.schedule(() -> {
				if (this.running && this.lifecycle == lifecycleOfRetry) {
					task.run();
				}
			}, delay, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// destroyed
		}
	}

	private void onDiscoveryThread(long generation, Runnable task) {
		try {
			this.executor.execute(() -> {
				if (generation == this.watchGeneration && this.running) {
					task.run();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// destroyed: late callbacks of a closed watch have nothing left to update
		}
	}

	/**
	 * Run a task on the discovery thread: now when called from it, else after what it is doing.
	 */
	private void onDiscoveryThread(Runnable task) {
		if (isDiscoveryThread()) {
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

	private boolean isDiscoveryThread() {
		return Thread.currentThread() == this.discoveryThread;
	}

	private static String reasonOf(Throwable failure) {
		return (failure instanceof RegistryTooLargeException) ? failure.getMessage()
				: EtcdFailure.of(failure).description() + " (" + EtcdFailure.messageOf(failure) + ")";
	}

	private static CustomizableThreadFactory daemonThreads(String prefix) {
		CustomizableThreadFactory threadFactory = new CustomizableThreadFactory(prefix);
		threadFactory.setDaemon(true);
		return threadFactory;
	}

}
