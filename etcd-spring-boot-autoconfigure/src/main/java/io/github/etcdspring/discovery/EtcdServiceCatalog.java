package io.github.etcdspring.discovery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Response;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.OptionsUtil;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.github.etcdspring.client.ClusterRestoreCheck;
import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.client.EtcdFutures;
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
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdServiceCatalog implements SmartLifecycle, DisposableBean {

	/**
	 * Before the web server, so that discovery works from the first request, and until the server has drained.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Log logger = LogFactory.getLog(EtcdServiceCatalog.class);

	/** Keys per range read of the registry, fewer when a page exceeds the client's inbound message limit. */
	static final int PAGE_SIZE = 1000;

	private static final Comparator<EtcdServiceInstance> BY_INSTANCE_ID = Comparator
		.comparing(EtcdServiceInstance::getInstanceId);

	private final Client client;

	private final RegistryKeyLayout layout;

	private final ServiceInstanceCodec codec;

	private final ApplicationEventPublisher eventPublisher;

	private final boolean includeUnavailableInstances;

	private final Duration requestTimeout;

	private final RetryBackoff retryBackoff;

	private final boolean failFast;

	private final ClusterRestoreCheck restoreCheck;

	private final ScheduledExecutorService executor;

	private volatile @Nullable Thread discoveryThread;

	private final List<ListenerRegistration> listeners = new CopyOnWriteArrayList<>();

	// Confined to the discovery thread.
	private final Map<String, Map<String, EtcdServiceInstance>> instancesByService = new HashMap<>();

	private final WarnedKeys warnedMalformedKeys = new WarnedKeys(WarnedKeys.DEFAULT_CAPACITY);

	private long revision;

	private long clusterId;

	private int failedAttempts;

	private @Nullable ScheduledFuture<?> pendingRetry;

	// Started on the discovery thread, closed by any thread: stop() and destroy() never wait for a busy thread.
	private final Object watchLock = new Object();

	private Watch.@Nullable Watcher watcher;

	private volatile long watchGeneration;

	// Read by any thread.
	private volatile Snapshot snapshot = Snapshot.NOT_LOADED;

	private volatile boolean running;

	// Changed by each start() and stop(): a retry scheduled before runs only in the same lifecycle.
	private volatile long lifecycle;

	public EtcdServiceCatalog(Client client, RegistryKeyLayout layout, ServiceInstanceCodec codec,
			ApplicationEventPublisher eventPublisher, boolean includeUnavailableInstances, Duration requestTimeout,
			Duration retryDelay, Duration maxRetryDelay, boolean failFast) {
		this.client = client;
		this.layout = layout;
		this.codec = codec;
		this.eventPublisher = eventPublisher;
		this.includeUnavailableInstances = includeUnavailableInstances;
		this.requestTimeout = requestTimeout;
		this.retryBackoff = new RetryBackoff(retryDelay, maxRetryDelay);
		this.failFast = failFast;
		this.restoreCheck = ClusterRestoreCheck.of(client, layout.registryPrefix(), requestTimeout);
		ThreadFactory threads = daemonThreads("etcd-discovery-");
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = threads.newThread(task);
			this.discoveryThread = thread;
			return thread;
		});
	}

	// ---------------------------------------------------------------- reading

	/**
	 * The instances of a service, from memory.
	 * @param serviceId the service
	 * @return the UP instances (all instances when unavailable ones are included), ordered by instance id
	 * @throws IllegalStateException when the registry could not be read yet
	 */
	public List<ServiceInstance> getInstances(String serviceId) {
		ServiceEntry entry = loadedSnapshot().services().get(serviceId);
		return (entry != null) ? entry.visible() : List.of();
	}

	/**
	 * The services that have at least one discoverable instance, from memory.
	 * @return the service ids, sorted
	 * @throws IllegalStateException when the registry could not be read yet
	 */
	public List<String> getServices() {
		return loadedSnapshot().visibleServiceIds();
	}

	/**
	 * Every instance of a service, whatever its status.
	 * @param serviceId the service
	 * @return the instances, ordered by instance id
	 */
	public List<EtcdServiceInstance> getAllInstances(String serviceId) {
		ServiceEntry entry = loadedSnapshot().services().get(serviceId);
		return (entry != null) ? entry.all() : List.of();
	}

	/**
	 * Every instance of every service, whatever its status.
	 * @return the instances, ordered by service and instance id
	 */
	public List<EtcdServiceInstance> getAllInstances() {
		return loadedSnapshot().services()
			.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.flatMap((entry) -> entry.getValue().all().stream())
			.toList();
	}

	/**
	 * The revision of etcd the copy reflects.
	 * @return the revision, 0 before the first load
	 */
	public long getRevision() {
		return this.snapshot.revision();
	}

	public boolean isLoaded() {
		return this.snapshot != Snapshot.NOT_LOADED;
	}

	/**
	 * Check with one request that etcd answers for the registry.
	 * @throws IllegalStateException when it does not
	 */
	public void probe() {
		try {
			await(this.client.getKVClient()
				.get(this.layout.registryPrefix(), GetOption.builder().isPrefix(true).withCountOnly(true).build()));
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Could not read the etcd service registry: "
					+ EtcdFailure.of(ex).description() + " (" + EtcdFailure.messageOf(ex) + ")", ex);
		}
	}

	/**
	 * Check with one request that etcd answers for the registry.
	 * @return the pending request
	 */
	public CompletableFuture<Void> probeAsync() {
		return this.client.getKVClient()
			.get(this.layout.registryPrefix(), GetOption.builder().isPrefix(true).withCountOnly(true).build())
			.thenApply((response) -> null);
	}

	// ---------------------------------------------------------------- listening

	/**
	 * Receive every change of one service, or of all services.
	 * @param serviceId the service, or {@code null} for all
	 * @param listener the listener, called on the discovery thread
	 * @return the subscription, to close when done
	 */
	public Subscription subscribe(@Nullable String serviceId, EtcdServiceListener listener) {
		ListenerRegistration registration = new ListenerRegistration(serviceId, listener, null);
		this.listeners.add(registration);
		return () -> this.listeners.remove(registration);
	}

	/**
	 * Receive the discoverable instances of a service now and after each change, like the {@code Watch} of the Go
	 * registries.
	 * @param serviceId the service
	 * @param listener called on the discovery thread with the instances, as {@link #getInstances} returns them
	 * @return the subscription, to close when done
	 */
	public Subscription watch(String serviceId, Consumer<List<ServiceInstance>> listener) {
		ListenerRegistration registration = new ListenerRegistration(serviceId, null, listener);
		this.listeners.add(registration);
		// On the discovery thread, so that it comes in order with the changes
		this.executor.execute(() -> {
			if (isLoaded() && this.listeners.contains(registration)) {
				notifySafely(() -> listener.accept(getInstances(serviceId)));
			}
		});
		return () -> this.listeners.remove(registration);
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
		RegistryRead read = readRegistry();
		long readRevision = read.revision();
		this.clusterId = read.clusterId();
		Map<String, EtcdServiceInstance> current = new HashMap<>();
		for (KeyValue keyValue : read.keyValues()) {
			EtcdServiceInstance instance = decode(keyValue, this.layout.parse(keyValue.getKey()));
			if (instance != null) {
				current.put(keyOf(instance), instance);
			}
		}
		List<EtcdServiceEvent> events = new ArrayList<>();
		this.instancesByService.values()
			.stream()
			.flatMap((instances) -> instances.values().stream())
			.filter((known) -> !current.containsKey(keyOf(known)))
			.forEach((removed) -> events.add(new EtcdServiceEvent(EtcdServiceEvent.Type.REMOVED, removed, readRevision)));
		current.values().forEach((instance) -> {
			EtcdServiceInstance known = find(instance.getServiceId(), instance.getInstanceId());
			if (known == null) {
				events.add(new EtcdServiceEvent(EtcdServiceEvent.Type.ADDED, instance, readRevision));
			}
			else if (!known.equals(instance)) {
				events.add(new EtcdServiceEvent(EtcdServiceEvent.Type.MODIFIED, instance, readRevision));
			}
		});
		// Not the maximum: a recreated cluster counts its revisions from 1 again.
		this.revision = readRevision;
		apply(events, readRevision);
		this.failedAttempts = 0;
		startWatch(readRevision + 1);
	}

	/**
	 * Every key of the registry at one revision, in pages that each fit the client's inbound message limit.
	 */
	private RegistryRead readRegistry() {
		ByteSequence prefix = this.layout.registryPrefix();
		ByteSequence end = OptionsUtil.prefixEndOf(prefix);
		List<KeyValue> keyValues = new ArrayList<>();
		ByteSequence from = prefix;
		Response.Header header = null;
		int pageSize = PAGE_SIZE;
		while (true) {
			GetOption.Builder option = GetOption.builder().withRange(end).withLimit(pageSize);
			if (header != null) {
				option.withRevision(header.getRevision());
			}
			GetResponse page;
			try {
				page = await(this.client.getKVClient().get(from, option.build()));
			}
			catch (RuntimeException ex) {
				if (EtcdFailure.of(ex) != EtcdFailure.TOO_LARGE) {
					throw ex;
				}
				if (pageSize == 1) {
					throw new RegistryTooLargeException(nameOfFirstKey(from, end), ex);
				}
				pageSize = Math.max(1, pageSize / 8);
				continue;
			}
			if (header == null) {
				header = page.getHeader();
			}
			keyValues.addAll(page.getKvs());
			if (!page.isMore() || page.getKvs().isEmpty()) {
				return new RegistryRead(header.getRevision(), header.getClusterId(), keyValues);
			}
			// the smallest key after the last one read
			from = page.getKvs().get(page.getKvs().size() - 1).getKey().concat(ByteSequence.from(new byte[] { 0 }));
		}
	}

	/**
	 * The key a page of one key failed on, read without its value.
	 */
	private String nameOfFirstKey(ByteSequence from, ByteSequence end) {
		try {
			List<KeyValue> keys = await(this.client.getKVClient()
				.get(from, GetOption.builder().withRange(end).withLimit(1).withKeysOnly(true).build())).getKvs();
			return (keys.isEmpty() ? from : keys.get(0).getKey()).toString(StandardCharsets.UTF_8);
		}
		catch (RuntimeException ex) {
			return from.toString(StandardCharsets.UTF_8) + "...";
		}
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
		InstanceKey key = this.layout.parse(event.getKeyValue().getKey());
		if (key == null) {
			warnOnce(event.getKeyValue(), "it is not of the form " + this.layout + "{serviceId}/{instanceId}");
			return;
		}
		EtcdServiceInstance known = find(key.serviceId(), key.instanceId());
		EtcdServiceInstance instance = (event.getEventType() == WatchEvent.EventType.PUT)
				? decode(event.getKeyValue(), key) : null;
		if (instance == null) {
			if (known != null) {
				events.add(new EtcdServiceEvent(EtcdServiceEvent.Type.REMOVED, known, eventRevision));
			}
		}
		else if (known == null) {
			events.add(new EtcdServiceEvent(EtcdServiceEvent.Type.ADDED, instance, eventRevision));
		}
		else if (!known.equals(instance)) {
			events.add(new EtcdServiceEvent(EtcdServiceEvent.Type.MODIFIED, instance, eventRevision));
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
		Set<String> changedServices = new LinkedHashSet<>();
		for (EtcdServiceEvent event : events) {
			EtcdServiceInstance instance = event.instance();
			changedServices.add(instance.getServiceId());
			if (event.type() == EtcdServiceEvent.Type.REMOVED) {
				Map<String, EtcdServiceInstance> instances = this.instancesByService.get(instance.getServiceId());
				instances.remove(instance.getInstanceId());
				if (instances.isEmpty()) {
					this.instancesByService.remove(instance.getServiceId());
				}
			}
			else {
				this.instancesByService.computeIfAbsent(instance.getServiceId(), (id) -> new HashMap<>())
					.put(instance.getInstanceId(), instance);
			}
		}
		publish(changedServices);
		if (events.isEmpty()) {
			return;
		}
		events.forEach(this::notifyListeners);
		changedServices.forEach(this::notifyWatchers);
		HeartbeatEvent heartbeat = new HeartbeatEvent(this, this.revision);
		notifySafely(() -> this.eventPublisher.publishEvent(heartbeat));
	}

	private void publish(Set<String> changedServices) {
		Snapshot previous = this.snapshot;
		if (changedServices.isEmpty() && previous != Snapshot.NOT_LOADED) {
			this.snapshot = new Snapshot(this.revision, previous.services(), previous.visibleServiceIds());
			return;
		}
		Map<String, ServiceEntry> services = new HashMap<>(previous.services());
		for (String serviceId : changedServices) {
			Map<String, EtcdServiceInstance> instances = this.instancesByService.get(serviceId);
			if (instances == null) {
				services.remove(serviceId);
			}
			else {
				services.put(serviceId, ServiceEntry.of(instances.values(), this.includeUnavailableInstances));
			}
		}
		List<String> visibleServiceIds = services.entrySet()
			.stream()
			.filter((entry) -> !entry.getValue().visible().isEmpty())
			.map(Map.Entry::getKey)
			.sorted()
			.toList();
		this.snapshot = new Snapshot(this.revision, Map.copyOf(services), visibleServiceIds);
	}

	private void notifyListeners(EtcdServiceEvent event) {
		for (ListenerRegistration registration : this.listeners) {
			if (registration.eventListener() != null && registration.matches(event.serviceId())) {
				notifySafely(() -> registration.eventListener().onEvent(event));
			}
		}
	}

	private void notifyWatchers(String serviceId) {
		List<ServiceInstance> instances = getInstances(serviceId);
		for (ListenerRegistration registration : this.listeners) {
			if (registration.instancesListener() != null && registration.matches(serviceId)) {
				notifySafely(() -> registration.instancesListener().accept(instances));
			}
		}
	}

	private @Nullable EtcdServiceInstance decode(KeyValue keyValue, @Nullable InstanceKey key) {
		if (key == null) {
			warnOnce(keyValue, "it is not of the form " + this.layout + "{serviceId}/{instanceId}");
			return null;
		}
		try {
			return this.codec.decode(key.serviceId(), key.instanceId(), keyValue.getValue().getBytes());
		}
		catch (RuntimeException ex) {
			// MalformedInstanceException, or a codec that breaks its contract: either way the key is unreadable
			warnOnce(keyValue, ex.getMessage());
			return null;
		}
	}

	private void warnOnce(KeyValue keyValue, String reason) {
		String key = keyValue.getKey().toString(StandardCharsets.UTF_8);
		if (this.warnedMalformedKeys.firstReport(key, keyValue.getModRevision())) {
			logger.warn("Skipping etcd key '" + key + "' of the service registry: " + reason);
		}
	}

	private @Nullable EtcdServiceInstance find(String serviceId, String instanceId) {
		Map<String, EtcdServiceInstance> instances = this.instancesByService.get(serviceId);
		return (instances != null) ? instances.get(instanceId) : null;
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

	private Snapshot loadedSnapshot() {
		Snapshot current = this.snapshot;
		if (current == Snapshot.NOT_LOADED) {
			throw new IllegalStateException(
					"The etcd service registry under '" + this.layout + "' has not been read yet");
		}
		return current;
	}

	private <T> T await(CompletableFuture<T> future) {
		return EtcdFutures.await(future, this.requestTimeout);
	}

	private static void notifySafely(Runnable notification) {
		try {
			notification.run();
		}
		catch (RuntimeException ex) {
			logger.error("A listener of the etcd service registry failed", ex);
		}
	}

	private static String reasonOf(Throwable failure) {
		return (failure instanceof RegistryTooLargeException) ? failure.getMessage()
				: EtcdFailure.of(failure).description() + " (" + EtcdFailure.messageOf(failure) + ")";
	}

	private static String keyOf(EtcdServiceInstance instance) {
		return instance.getServiceId() + "/" + instance.getInstanceId();
	}

	private static CustomizableThreadFactory daemonThreads(String prefix) {
		CustomizableThreadFactory threadFactory = new CustomizableThreadFactory(prefix);
		threadFactory.setDaemon(true);
		return threadFactory;
	}

	private record RegistryRead(long revision, long clusterId, List<KeyValue> keyValues) {
	}

	private record Snapshot(long revision, Map<String, ServiceEntry> services, List<String> visibleServiceIds) {

		static final Snapshot NOT_LOADED = new Snapshot(0, Map.of(), List.of());

	}

	private record ServiceEntry(List<EtcdServiceInstance> all, List<ServiceInstance> visible) {

		static ServiceEntry of(Iterable<EtcdServiceInstance> instances, boolean includeUnavailable) {
			List<EtcdServiceInstance> all = new ArrayList<>();
			instances.forEach(all::add);
			all.sort(BY_INSTANCE_ID);
			List<ServiceInstance> visible = all.stream()
				.filter((instance) -> includeUnavailable || instance.isUp())
				.map(ServiceInstance.class::cast)
				.toList();
			return new ServiceEntry(List.copyOf(all), visible);
		}

	}

	private record ListenerRegistration(@Nullable String serviceId, @Nullable EtcdServiceListener eventListener,
			@Nullable Consumer<List<ServiceInstance>> instancesListener) {

		boolean matches(String changedServiceId) {
			return this.serviceId == null || this.serviceId.equals(changedServiceId);
		}

	}

}
