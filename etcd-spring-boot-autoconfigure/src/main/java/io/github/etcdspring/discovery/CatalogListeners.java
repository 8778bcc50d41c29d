package io.github.etcdspring.discovery;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.ServiceInstance;

/**
 * The listeners of the catalog: subscriptions to the events of one service or of all
 * services, watches of the instances of one service, and their notification. A listener
 * that throws is logged and does not keep the others from being told.
 *
 * @author etcd-spring-boot contributors
 */
final class CatalogListeners {

	// Under the catalog's name, where its users look for it.
	private static final Log logger = LogFactory.getLog(EtcdServiceCatalog.class);

	private final List<Registration> registrations = new CopyOnWriteArrayList<>();

	private final CatalogStorage storage;

	private final Executor discoveryThread;

	/**
	 * @param storage the copy whose instances watchers receive
	 * @param discoveryThread where the changes are applied, so that a new watcher's first
	 * instances come in order with them
	 */
	CatalogListeners(CatalogStorage storage, Executor discoveryThread) {
		this.storage = storage;
		this.discoveryThread = discoveryThread;
	}

	/**
	 * Receive every change of one service, or of all services.
	 * @param serviceId the service, or {@code null} for all
	 * @param listener the listener
	 * @return the subscription, to close when done
	 */
	Subscription subscribe(@Nullable String serviceId, EtcdServiceListener listener) {
		return add(new Registration(serviceId, listener, null));
	}

	/**
	 * Receive the discoverable instances of a service, once loaded, now and after each
	 * change.
	 * @param serviceId the service
	 * @param listener the listener
	 * @return the subscription, to close when done
	 */
	Subscription watch(String serviceId, Consumer<List<ServiceInstance>> listener) {
		Registration registration = new Registration(serviceId, null, listener);
		Subscription subscription = add(registration);
		this.discoveryThread.execute(() -> {
			if (this.storage.isLoaded() && this.registrations.contains(registration)) {
				notifySafely(() -> listener.accept(this.storage.getInstances(serviceId)));
			}
		});
		return subscription;
	}

	private Subscription add(Registration registration) {
		this.registrations.add(registration);
		return () -> this.registrations.remove(registration);
	}

	/**
	 * Tell the subscribers each event, then the watchers the new instances of each
	 * changed service.
	 * @param events the events of one revision, already applied to the storage
	 * @param changedServices the services they changed
	 */
	void notify(List<EtcdServiceEvent> events, Set<String> changedServices) {
		events.forEach(this::notifySubscribers);
		changedServices.forEach(this::notifyWatchers);
	}

	private void notifySubscribers(EtcdServiceEvent event) {
		for (Registration registration : this.registrations) {
			EtcdServiceListener listener = registration.eventListener();
			if (listener != null && registration.matches(event.serviceId())) {
				notifySafely(() -> listener.onEvent(event));
			}
		}
	}

	private void notifyWatchers(String serviceId) {
		List<ServiceInstance> instances = this.storage.getInstances(serviceId);
		for (Registration registration : this.registrations) {
			Consumer<List<ServiceInstance>> listener = registration.instancesListener();
			if (listener != null && registration.matches(serviceId)) {
				notifySafely(() -> listener.accept(instances));
			}
		}
	}

	/**
	 * Run a notification, logging rather than throwing its failure.
	 * @param notification the notification
	 */
	static void notifySafely(Runnable notification) {
		try {
			notification.run();
		}
		catch (RuntimeException ex) {
			logger.error("A listener of the etcd service registry failed", ex);
		}
	}

	private record Registration(@Nullable String serviceId, @Nullable EtcdServiceListener eventListener,
			@Nullable Consumer<List<ServiceInstance>> instancesListener) {

		boolean matches(String changedServiceId) {
			return this.serviceId == null || this.serviceId.equals(changedServiceId);
		}

	}

}
