package io.github.etcdspring.discovery;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import io.github.etcdspring.client.EtcdFailure;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The catalog's start and stop: the first read (which may begin before the start, so that
 * it overlaps with the rest of the application's startup), fail-fast or retries in the
 * background when it fails, and the closing of the watch and of the discovery thread.
 *
 * @author etcd-spring-boot contributors
 */
final class CatalogLifecycle {

	// Under the catalog's name, where its users look for it.
	private static final Log logger = LogFactory.getLog(EtcdServiceCatalog.class);

	private final CatalogLoader loader;

	private final DiscoveryThread discoveryThread;

	private final String registryName;

	private final boolean failFast;

	private volatile boolean running;

	// The read begun by beginFirstRead(), which start() applies.
	private @Nullable Future<CatalogLoader.DecodedRead> firstRead;

	/**
	 * @param loader loads the registry and watches it
	 * @param discoveryThread where the loader runs
	 * @param registryName what the registry is, for the error of a failed start
	 * @param failFast whether {@link #start()} fails when the registry cannot be read
	 */
	CatalogLifecycle(CatalogLoader loader, DiscoveryThread discoveryThread, String registryName, boolean failFast) {
		this.loader = loader;
		this.discoveryThread = discoveryThread;
		this.registryName = registryName;
		this.failFast = failFast;
	}

	/**
	 * Begin reading the registry in the background, once and before {@link #start()}.
	 */
	void beginFirstRead() {
		if (!this.running && this.firstRead == null) {
			this.firstRead = this.discoveryThread.executor().submit(this.loader::read);
		}
	}

	/**
	 * Read the registry (or apply the read begun before) and watch it.
	 * @throws IllegalStateException when the registry could not be read and fail-fast is
	 * on
	 */
	void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		this.loader.open();
		Future<CatalogLoader.DecodedRead> begun = this.firstRead;
		this.firstRead = null;
		try {
			if (this.discoveryThread.isCurrent()) {
				this.loader.reload();
			}
			else {
				this.discoveryThread.executor().submit(() -> applyFirstRead(begun)).get();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			// the read goes on without us: it must end with a watch, or with retries
			// until there is one
			this.discoveryThread.executor().execute(this.loader::retryUnlessWatching);
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
			this.loader.close();
			throw new IllegalStateException(
					"Could not read the etcd service registry (" + this.registryName + "): " + reasonOf(failure),
					failure);
		}
		logger.warn("Could not read the etcd service registry (" + this.registryName + ", " + reasonOf(failure)
				+ "); discovery retries in the background");
		this.discoveryThread.run(this.loader::retryUnlessWatching);
	}

	/**
	 * At start: apply the read begun before, done by now (this thread ran it), or read
	 * now when there was none or it failed.
	 */
	private void applyFirstRead(@Nullable Future<CatalogLoader.DecodedRead> begun) {
		CatalogLoader.DecodedRead decoded = null;
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
		this.loader.applyRead((decoded != null) ? decoded : this.loader.read());
	}

	/**
	 * Close the watch and cancel any retry, without waiting for the discovery thread.
	 */
	void stop() {
		this.running = false;
		this.loader.close();
	}

	boolean isRunning() {
		return this.running;
	}

	/**
	 * Stop, then shut the discovery thread down.
	 */
	void destroy() {
		stop();
		this.discoveryThread.shutdown();
	}

	private static String reasonOf(Throwable failure) {
		return (failure instanceof RegistryTooLargeException) ? failure.getMessage()
				: EtcdFailure.of(failure).description() + " (" + EtcdFailure.messageOf(failure) + ")";
	}

}
