package io.github.etcdspring.registry;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.etcd.jetcd.Client;
import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.format.EtcdServiceInstance;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

/**
 * The instances registered with a lease of their own ({@link EtcdLeasedRegistration}),
 * each kept by its own {@link RegistrationLease}; deregistered when the registry closes.
 *
 * @author etcd-spring-boot contributors
 */
class LeasedRegistrations {

	private static final Log logger = LogFactory.getLog(LeasedRegistrations.class);

	private final Client client;

	private final EtcdServiceRegistry.Settings settings;

	private final ApplicationEventPublisher eventPublisher;

	private final Set<EtcdLeasedRegistration> registered = ConcurrentHashMap.newKeySet();

	LeasedRegistrations(Client client, EtcdServiceRegistry.Settings settings,
			ApplicationEventPublisher eventPublisher) {
		this.client = client;
		this.settings = settings;
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Register an instance under a new lease. When it cannot be written, nothing is left
	 * behind: its lease is revoked and the failure thrown.
	 */
	EtcdLeasedRegistration register(EtcdServiceInstance instance, PublishedFormats formats, Duration ttl) {
		Assert.isTrue(ttl.compareTo(Duration.ofSeconds(1)) >= 0, () -> "The TTL must be at least 1s: " + ttl);
		EtcdLeasedRegistration handle = new EtcdLeasedRegistration(instance, formats.names(),
				(source) -> new RegistrationLease(this.client, ttl, this.settings.retry(),
						this.settings.retry().backoff(this.settings.maxRetryDelay()), this.settings.requestTimeout(),
						this.eventPublisher, source, new RegistryThread()),
				this.registered::remove);
		RegistrationLease lease = handle.lease();
		try {
			lease.put(() -> formats.entries(instance));
		}
		catch (RuntimeException ex) {
			lease.close(true);
			EtcdFailure failure = EtcdFailure.of(ex);
			throw new EtcdRegistrationException("Could not register " + instance + " in etcd at "
					+ this.settings.endpoints() + ": " + failure.description() + " (" + EtcdFailure.messageOf(ex) + ")",
					failure, ex);
		}
		this.registered.add(handle);
		logger.info("Registered " + handle + " in etcd under its own lease " + Long.toHexString(lease.leaseId())
				+ " (TTL " + lease.ttl().toSeconds() + "s)");
		return handle;
	}

	/**
	 * Deregister every instance still registered.
	 */
	void close() {
		List.copyOf(this.registered).forEach(EtcdLeasedRegistration::deregister);
	}

}
