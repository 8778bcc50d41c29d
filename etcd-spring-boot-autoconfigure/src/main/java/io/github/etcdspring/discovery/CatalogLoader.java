package io.github.etcdspring.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongConsumer;

import io.etcd.jetcd.Client;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.watch.PrefixWatch;
import io.github.etcdspring.watch.Recovery;
import io.github.etcdspring.watch.WatchCounts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Loads the registry into the catalog's copy and keeps it current, on the discovery
 * thread: a full read at revision R is applied as its difference with the copy, then a
 * {@link PrefixWatch} started at R+1 applies every later revision; a reset of the watch
 * reads again, retried with the jittered {@link RetryBackoff} until it succeeds. Each
 * revision that changes an instance is applied to the {@link CatalogStorage}, told to the
 * {@link CatalogListeners}, then published as a heartbeat.
 *
 * @author etcd-spring-boot contributors
 */
final class CatalogLoader {

	// Under the catalog's name, where its users look for it.
	private static final Log logger = LogFactory.getLog(EtcdServiceCatalog.class);

	private final CatalogFormats formats;

	private final RegistryReader reader;

	private final RegistryValueDecoder decoder;

	private final CatalogStorage storage;

	private final CatalogListeners listeners;

	private final LongConsumer heartbeats;

	// Started on the discovery thread, closed by any thread: stop() and destroy() never
	// wait for a busy thread.
	private final PrefixWatch watch;

	/**
	 * @param client the client
	 * @param formats the formats read
	 * @param reader reads the registry
	 * @param decoder decodes its keys and values
	 * @param storage the copy
	 * @param listeners the listeners of the catalog
	 * @param discoveryThread the discovery thread's executor
	 * @param retryBackoff the delays between attempts
	 * @param requestTimeout how long one request may take
	 * @param heartbeats publishes the heartbeat of a revision that changed an instance
	 */
	CatalogLoader(Client client, CatalogFormats formats, RegistryReader reader, RegistryValueDecoder decoder,
			CatalogStorage storage, CatalogListeners listeners, ScheduledExecutorService discoveryThread,
			RetryBackoff retryBackoff, Duration requestTimeout, LongConsumer heartbeats) {
		this.formats = formats;
		this.reader = reader;
		this.decoder = decoder;
		this.storage = storage;
		this.listeners = listeners;
		this.heartbeats = heartbeats;
		this.watch = new PrefixWatch(client, discoveryThread, retryBackoff, requestTimeout, Recovery.RESUME,
				"the etcd service registry", new RegistryChanges(decoder, storage, this::apply, this::reloadQuietly));
	}

	/**
	 * Allow the watch to start; it starts with the first read applied.
	 */
	void open() {
		this.watch.open();
	}

	/**
	 * Close the watch and cancel any retry, without waiting for the discovery thread.
	 */
	void close() {
		this.watch.close();
	}

	/**
	 * What the watch went through.
	 * @return the counts
	 */
	WatchCounts watchCounts() {
		return this.watch.counts();
	}

	/**
	 * Read the whole registry and decode it, without applying it.
	 * @return the read
	 */
	DecodedRead read() {
		RegistryReader.RegistryRead read = this.reader.readAll();
		return new DecodedRead(read, this.decoder.decodeAll(read.keyValues()));
	}

	/**
	 * Apply the difference between a read and the copy, and watch from the revision read.
	 * @param decoded the read
	 */
	void applyRead(DecodedRead decoded) {
		RegistryReader.RegistryRead read = decoded.read();
		apply(this.storage.differencesTo(decoded.instances(), read.revision()), read.revision());
		this.watch.attemptSucceeded();
		this.watch.start(this.formats.ranges(), read.revision(), read.clusterId());
	}

	/**
	 * Read the whole registry, apply the difference with the copy, and watch from the
	 * revision read.
	 */
	void reload() {
		applyRead(read());
	}

	/**
	 * After a start whose read failed or was abandoned: retry, unless the read succeeded
	 * after all.
	 */
	void retryUnlessWatching() {
		if (this.watch.isIdle()) {
			this.watch.retryLater(this::reloadQuietly);
		}
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
		CatalogListeners.notifySafely(() -> this.heartbeats.accept(newRevision));
	}

	/**
	 * A read of the registry and its instances, decoded.
	 *
	 * @param read the read
	 * @param instances its readable instances
	 */
	record DecodedRead(RegistryReader.RegistryRead read, List<EtcdServiceInstance> instances) {
	}

}
