package io.github.etcdspring.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.etcd.jetcd.Client;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.RegistryFormat;
import io.github.etcdspring.format.RegistryKeyLayout;
import io.github.etcdspring.format.ServiceInstanceCodec;
import io.github.etcdspring.watch.PrefixWatch;
import io.github.etcdspring.watch.WatchCounts;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

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
 * This class is the catalog's API and wiring. Its parts: the {@link DiscoveryThread}
 * where the copy changes, the {@link CatalogLoader} that reads the registry (through
 * {@link RegistryReader} and {@link RegistryValueDecoder}) and follows it (through
 * {@link PrefixWatch} and {@link RegistryChanges}), the {@link CatalogLifecycle} that
 * starts and stops it, the {@link CatalogStorage} that holds the copy, and the
 * {@link CatalogListeners}.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdServiceCatalog implements SmartLifecycle, DisposableBean {

	/**
	 * Before the web server, so that discovery works from the first request, and until
	 * the server has drained.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final CatalogFormats formats;

	private final RegistryReader reader;

	private final RegistryValueDecoder decoder;

	// Changed on the discovery thread, read by any thread.
	private final CatalogStorage storage;

	private final CatalogListeners listeners;

	private final CatalogLoader loader;

	private final CatalogLifecycle lifecycle;

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
		DiscoveryThread discoveryThread = new DiscoveryThread();
		this.storage = new CatalogStorage(includeUnavailableInstances, formats.toString());
		this.listeners = new CatalogListeners(this.storage, discoveryThread.executor());
		this.loader = new CatalogLoader(client, formats, this.reader, this.decoder, this.storage, this.listeners,
				discoveryThread.executor(), new RetryBackoff(retryDelay, maxRetryDelay), requestTimeout,
				(revision) -> eventPublisher.publishEvent(new HeartbeatEvent(this, revision)));
		this.lifecycle = new CatalogLifecycle(this.loader, discoveryThread, formats.toString(), failFast);
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
		return this.loader.watchCounts();
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
		this.lifecycle.beginFirstRead();
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
		this.lifecycle.start();
	}

	/**
	 * Close the watch and cancel any retry. Returns without waiting for the discovery
	 * thread, which may be busy (or be the caller): nothing it does afterwards starts a
	 * watch.
	 */
	@Override
	public void stop() {
		this.lifecycle.stop();
	}

	@Override
	public boolean isRunning() {
		return this.lifecycle.isRunning();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public void destroy() {
		this.lifecycle.destroy();
	}

}
