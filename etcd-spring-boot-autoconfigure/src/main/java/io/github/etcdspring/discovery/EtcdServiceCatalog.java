package io.github.etcdspring.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import io.etcd.jetcd.Client;
import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.RegistryFormat;
import io.github.etcdspring.format.RegistryKeyLayout;
import io.github.etcdspring.format.ServiceInstanceCodec;
import io.github.etcdspring.watch.PrefixWatch;
import io.github.etcdspring.watch.Recovery;
import io.github.etcdspring.watch.WatchCounts;
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
 * An in-memory copy of the whole registry, kept current by one prefix watch, so that
 * lookups need no network round trip.
 * <p>
 * The copy is loaded with one range read at revision R, then a {@link PrefixWatch}
 * started at R+1 applies every later change, in revision order, on a single discovery
 * thread. The watch resumes by itself after a disconnect; when it reports a reset (a
 * compacted revision, a restored or recreated cluster, a batch over
 * {@code etcd.max-inbound-message-size}), the registry is read again and only the
 * difference is applied. Changes are therefore never missed nor applied twice, and each
 * revision that changes an instance publishes one {@link HeartbeatEvent} carrying it. The
 * registry is read in pages, smaller ones when a page exceeds the message size. Every
 * retry waits the jittered {@link RetryBackoff}.
 * <p>
 * It reads one or more registry formats ({@link CatalogFormats}): the fewest key ranges
 * that hold them are read at one revision and watched together, and each key goes to the
 * format whose layout parses it. An instance found in several formats under the same
 * service id is one service; each instance's metadata names its format. Values that no
 * format can read are skipped and counted, with one warning naming the key.
 * <p>
 * This class owns the reload and the lifecycle. It delegates following the registry to
 * {@link PrefixWatch}, the copy and its differences to {@link CatalogStorage}, the
 * conversion of watched changes to {@link RegistryChanges}, the listeners to
 * {@link CatalogListeners}, the decoding of a key/value to {@link RegistryValueDecoder}
 * and the paged read to {@link RegistryReader}. It passes 350 lines through its public
 * reading methods, each a documented one-line delegation to the storage, and its two
 * documented constructors; what remains is the reload and the lifecycle (with the first
 * read, which may begin before the start), which share the discovery thread and the
 * running state and so stay together.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdServiceCatalog implements SmartLifecycle, DisposableBean {

	/**
	 * Before the web server, so that discovery works from the first request, and until
	 * the server has drained.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Log logger = LogFactory.getLog(EtcdServiceCatalog.class);

	private final CatalogFormats formats;

	private final RegistryReader reader;

	private final RegistryValueDecoder decoder;

	private final ApplicationEventPublisher eventPublisher;

	private final boolean failFast;

	private final ScheduledExecutorService executor;

	private volatile @Nullable Thread discoveryThread;

	// Changed on the discovery thread, read by any thread.
	private final CatalogStorage storage;

	private final CatalogListeners listeners;

	// Started on the discovery thread, closed by any thread: stop() and destroy() never
	// wait for a busy thread.
	private final PrefixWatch watch;

	private volatile boolean running;

	// The read begun by beginFirstRead(), which start() applies.
	private @Nullable Future<DecodedRead> firstRead;

	/**
	 * A catalog of the starter's own format alone.
	 * @param client the client
	 * @param layout the native layout
	 * @param codec the native codec
	 * @param eventPublisher publishes a {@link HeartbeatEvent} per revision that changes
	 * an instance
	 * @param includeUnavailableInstances whether instances that are not UP are returned
	 * @param requestTimeout how long one request may take
	 * @param retryDelay the first delay between attempts
	 * @param maxRetryDelay the largest delay between attempts
	 * @param failFast whether {@link #start()} fails when the registry cannot be read
	 */
	public EtcdServiceCatalog(Client client, RegistryKeyLayout layout, ServiceInstanceCodec codec,
			ApplicationEventPublisher eventPublisher, boolean includeUnavailableInstances, Duration requestTimeout,
			Duration retryDelay, Duration maxRetryDelay, boolean failFast) {
		this(client, CatalogFormats.nativeOnly(RegistryFormat.of(layout, codec)), eventPublisher,
				includeUnavailableInstances, requestTimeout, retryDelay, maxRetryDelay, failFast);
	}

	/**
	 * A catalog of several formats, read at one revision and watched together.
	 * @param client the client
	 * @param formats the formats read
	 * @param eventPublisher publishes a {@link HeartbeatEvent} per revision that changes
	 * an instance
	 * @param includeUnavailableInstances whether instances that are not UP are returned
	 * @param requestTimeout how long one request may take
	 * @param retryDelay the first delay between attempts
	 * @param maxRetryDelay the largest delay between attempts
	 * @param failFast whether {@link #start()} fails when the registry cannot be read
	 */
	public EtcdServiceCatalog(Client client, CatalogFormats formats, ApplicationEventPublisher eventPublisher,
			boolean includeUnavailableInstances, Duration requestTimeout, Duration retryDelay, Duration maxRetryDelay,
			boolean failFast) {
		this.formats = formats;
		this.reader = new RegistryReader(client, formats.ranges(), requestTimeout);
		this.decoder = new RegistryValueDecoder(formats);
		this.eventPublisher = eventPublisher;
		this.failFast = failFast;
		CustomizableThreadFactory threads = new CustomizableThreadFactory("etcd-discovery-");
		threads.setDaemon(true);
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = threads.newThread(task);
			this.discoveryThread = thread;
			return thread;
		});
		this.storage = new CatalogStorage(includeUnavailableInstances, formats.toString());
		this.listeners = new CatalogListeners(this.storage, this.executor);
		this.watch = new PrefixWatch(client, this.executor, new RetryBackoff(retryDelay, maxRetryDelay), requestTimeout,
				Recovery.RESUME, "the etcd service registry",
				new RegistryChanges(this.decoder, this.storage, this::apply, this::reloadQuietly));
	}

	// ---------------------------------------------------------------- reading

	/**
	 * The instances of a service, from memory.
	 * @param serviceId the service
	 * @return the UP instances (all instances when unavailable ones are included),
	 * ordered by instance id
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

	/**
	 * Whether the registry was read at least once.
	 * @return whether loaded
	 */
	public boolean isLoaded() {
		return this.storage.isLoaded();
	}

	/**
	 * How many instances, whatever their status, the copy holds in each format read.
	 * @return the counts by format name, without the formats that hold none
	 */
	public Map<String, Long> getInstanceCountsByFormat() {
		return this.storage.instancesByFormat();
	}

	/**
	 * The formats read.
	 * @return their names
	 */
	public Set<String> getFormatNames() {
		return this.formats.names();
	}

	/**
	 * What the watch of the registry went through: changes applied, reconnects, resets.
	 * @return the counts
	 */
	public WatchCounts getWatchCounts() {
		return this.watch.counts();
	}

	/**
	 * How many times an entry of the registry was skipped because no format read could
	 * read it (each skip is also logged once per key and value). A key read again, after
	 * a reset of the watch, counts again.
	 * @return the count
	 */
	public long getSkippedEntryCount() {
		return this.decoder.skipped();
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
	 * Receive the discoverable instances of a service now and after each change, like the
	 * {@code Watch} of the Go registries.
	 * @param serviceId the service
	 * @param listener called on the discovery thread with the instances, as
	 * {@link #getInstances} returns them
	 * @return the subscription, to close when done
	 */
	public Subscription watch(String serviceId, Consumer<List<ServiceInstance>> listener) {
		return this.listeners.watch(serviceId, listener);
	}

	// ---------------------------------------------------------------- lifecycle

	/**
	 * Begin reading the registry now, in the background, so that the read overlaps with
	 * the rest of the application's startup. Nothing is applied, published or watched
	 * until {@link #start()}, which applies this read (and watches from its revision), or
	 * reads again itself when this read failed. Call it once, before {@link #start()}.
	 */
	public void beginFirstRead() {
		if (!this.running && this.firstRead == null) {
			this.firstRead = this.executor.submit(this::read);
		}
	}

	/**
	 * Read the registry and watch it. Waits for the read, unless called from a listener
	 * on the discovery thread (which reads right away) or interrupted (the read goes on
	 * in the background, retried until it succeeds).
	 * @throws IllegalStateException when the registry could not be read and fail-fast is
	 * on
	 */
	@Override
	public void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		this.watch.open();
		Future<DecodedRead> begun = this.firstRead;
		this.firstRead = null;
		try {
			if (isDiscoveryThread()) {
				reload();
			}
			else {
				this.executor.submit(() -> applyFirstRead(begun)).get();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			// the read goes on without us: it must end with a watch, or with retries
			// until there is one
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
			this.watch.close();
			throw new IllegalStateException(
					"Could not read the etcd service registry (" + this.formats + "): " + reasonOf(failure), failure);
		}
		logger.warn("Could not read the etcd service registry (" + this.formats + ", " + reasonOf(failure)
				+ "); discovery retries in the background");
		onDiscoveryThread(this::retryUnlessWatching);
	}

	/**
	 * Close the watch and cancel any retry. Returns without waiting for the discovery
	 * thread, which may be busy (or be the caller): nothing it does afterwards starts a
	 * watch.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.watch.close();
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
		this.watch.close();
		this.executor.shutdownNow();
	}

	// ---------------------------------------------------------------- the discovery
	// thread

	/**
	 * Read the whole registry, apply the difference with the copy, and watch from the
	 * revision read.
	 */
	private void reload() {
		applyRead(read());
	}

	private DecodedRead read() {
		RegistryReader.RegistryRead read = this.reader.readAll();
		return new DecodedRead(read, this.decoder.decodeAll(read.keyValues()));
	}

	private void applyRead(DecodedRead decoded) {
		RegistryReader.RegistryRead read = decoded.read();
		apply(this.storage.differencesTo(decoded.instances(), read.revision()), read.revision());
		this.watch.attemptSucceeded();
		this.watch.start(this.formats.ranges(), read.revision(), read.clusterId());
	}

	/**
	 * At start: apply the read begun before, done by now (this thread ran it), or read
	 * now when there was none or it failed.
	 */
	private void applyFirstRead(@Nullable Future<DecodedRead> begun) {
		DecodedRead decoded = null;
		if (begun != null) {
			try {
				decoded = begun.get();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while reading the etcd service registry", ex);
			}
			catch (ExecutionException | CancellationException ex) {
				// read again below, and fail or retry as that read does
			}
		}
		applyRead((decoded != null) ? decoded : read());
	}

	private void reloadQuietly() {
		try {
			reload();
			logger.info("Read the etcd service registry (" + this.formats + ") at revision " + this.watch.revision());
		}
		catch (RuntimeException ex) {
			if (ex instanceof RegistryTooLargeException && this.watch.failedAttempts() == 0) {
				logger.warn(ex.getMessage() + "; retrying");
			}
			logger.debug("Could not read the etcd service registry; retrying", ex);
			this.watch.retryLater(this::reloadQuietly);
		}
	}

	/**
	 * Apply the events of one revision to the copy, publish it, then tell the listeners.
	 */
	private void apply(List<EtcdServiceEvent> events, long newRevision) {
		Set<String> changedServices = this.storage.apply(events, newRevision);
		if (events.isEmpty()) {
			return;
		}
		this.listeners.notify(events, changedServices);
		HeartbeatEvent heartbeat = new HeartbeatEvent(this, newRevision);
		CatalogListeners.notifySafely(() -> this.eventPublisher.publishEvent(heartbeat));
	}

	/**
	 * After a start whose read failed or was abandoned: retry, unless the read succeeded
	 * after all.
	 */
	private void retryUnlessWatching() {
		if (this.watch.isIdle()) {
			this.watch.retryLater(this::reloadQuietly);
		}
	}

	/**
	 * Run a task on the discovery thread: now when called from it, else after what it is
	 * doing.
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

	/**
	 * A read of the registry and its instances, decoded.
	 */
	private record DecodedRead(RegistryReader.RegistryRead read, List<EtcdServiceInstance> instances) {
	}

	private static String reasonOf(Throwable failure) {
		return (failure instanceof RegistryTooLargeException) ? failure.getMessage()
				: EtcdFailure.of(failure).description() + " (" + EtcdFailure.messageOf(failure) + ")";
	}

}
