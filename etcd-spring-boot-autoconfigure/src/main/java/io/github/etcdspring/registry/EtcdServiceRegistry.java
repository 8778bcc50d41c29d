package io.github.etcdspring.registry;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.etcd.jetcd.Client;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.InstanceStatus;
import io.github.etcdspring.format.RegistryFormat;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * A {@link ServiceRegistry} that writes instances to etcd under a lease that it keeps
 * alive and restores when lost (see {@link RegistrationLease}), in each format of
 * {@code service.formats} (see {@link PublishedFormats}). Instances that are not this
 * application's can be registered under leases of their own
 * ({@link #register(EtcdServiceInstance, List, Duration)}). A status set through
 * {@code /actuator/serviceregistry} applies to the registration the endpoint knows, the
 * service's; a gRPC registration keeps its own.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdServiceRegistry implements ServiceRegistry<EtcdRegistration> {

	private static final Log logger = LogFactory.getLog(EtcdServiceRegistry.class);

	private static final String FORMATS_PROPERTY = EtcdServiceProperties.PREFIX + ".formats";

	private final Map<String, RegistryFormat> availableFormats;

	private final PublishedFormats formats;

	private final RegistrationLease lease;

	private final LeasedRegistrations leasedRegistrations;

	private final RegistrationWriter writer;

	private final ApplicationRegistrations applicationRegistrations = new ApplicationRegistrations();

	private final RegistryObservations observations = new RegistryObservations();

	/**
	 * Create a registry.
	 * @param client the etcd client
	 * @param availableFormats the formats instances can be written in, by name
	 * ({@code native} and those of {@code etcd.formats.*})
	 * @param formats the names of the formats this application's instances are written
	 * in, under one lease ({@code service.formats})
	 * @param settings the lease, retry and failure settings
	 * @param eventPublisher where to publish the loss and restoration of the registration
	 * @throws IllegalArgumentException when a format is unknown or repeated
	 */
	public EtcdServiceRegistry(Client client, Map<String, RegistryFormat> availableFormats, List<String> formats,
			Settings settings, ApplicationEventPublisher eventPublisher) {
		this.availableFormats = Map.copyOf(availableFormats);
		this.formats = PublishedFormats.select(this.availableFormats, formats);
		this.lease = new RegistrationLease(client, settings.keepaliveTtl(), settings.retry(),
				settings.retry().backoff(settings.maxRetryDelay()), settings.requestTimeout(), eventPublisher, this,
				new RegistryThread());
		this.leasedRegistrations = new LeasedRegistrations(client, settings, eventPublisher);
		this.writer = new RegistrationWriter(this.lease, this.formats, settings);
	}

	/**
	 * Register an instance that is not this application's own (a sidecar, a proxied
	 * service, a batch worker) under a lease of its own, like go-core's
	 * {@code Register(ctx, info, ttl)}: its keys are kept alive and restored when lost as
	 * this application's are, until {@link EtcdLeasedRegistration#deregister()} or the
	 * registry closes.
	 * @param instance the instance
	 * @param formats the names of the formats to write it in, e.g. {@code native} and
	 * {@code kitex}
	 * @param ttl the TTL of its lease, at least one second
	 * @return the registration
	 * @throws IllegalArgumentException when a format is unknown, the formats would be
	 * misread together, or the TTL is under one second
	 * @throws EtcdRegistrationException when the instance could not be written (another
	 * lease holds one of its keys, or etcd could not be reached)
	 */
	public EtcdLeasedRegistration register(EtcdServiceInstance instance, List<String> formats, Duration ttl) {
		PublishedFormats published = PublishedFormats.select(this.availableFormats, formats);
		published.check(instance);
		return this.leasedRegistrations.register(instance, published, ttl);
	}

	/**
	 * Register an instance. An instance id whose key another lease holds is not taken
	 * over: with {@code etcd.fail-fast}, registration waits until that lease could have
	 * expired (the previous run of this instance, killed, whose lease is not kept alive
	 * any more) and fails if the key is still held then (another process with the same
	 * instance id); without it, the registry keeps trying in the background. While
	 * {@link #drain() drained}, the instance is only remembered, and written on
	 * {@link #resume()}. Observed as {@code etcd.registry.register} with the
	 * {@code outcome} {@code registered}, {@code pending} (being tried in the
	 * background), {@code drained} or {@code failed}.
	 * @param registration the instance
	 */
	@Override
	public void register(EtcdRegistration registration) {
		check(registration);
		this.observations.observe(RegistryObservations.REGISTER, registration, () -> {
			if (!this.applicationRegistrations.register(registration, this.writer::write, this::remove)) {
				return "drained";
			}
			return (this.lease.state() == RegistrationState.REGISTERED) ? "registered" : "pending";
		});
	}

	/**
	 * Deregister an instance. Observed as {@code etcd.registry.deregister} with the
	 * {@code outcome} {@code deregistered}, {@code not-registered} or {@code failed}.
	 * @param registration the instance
	 */
	@Override
	public void deregister(EtcdRegistration registration) {
		if (registration.getInstanceId() == null) {
			return;
		}
		this.observations.observe(RegistryObservations.DEREGISTER, registration, () -> {
			this.applicationRegistrations.deregister(registration);
			if (!remove(registration)) {
				return "not-registered";
			}
			logger.debug("Deregistered " + registration + " from etcd");
			return "deregistered";
		});
	}

	private boolean remove(EtcdRegistration registration) {
		return this.lease.remove(keys(registration));
	}

	/**
	 * Take this application's instances out of etcd at once, revoking their lease (which
	 * deletes their keys in one revision, so that watchers see them go at once), and keep
	 * them out until {@link #resume()} or a restart: nothing registers them again
	 * meanwhile, neither the periodic check, nor a lost lease, nor a call to
	 * {@link #register(EtcdRegistration)}. It is the drain of a Kubernetes
	 * {@code preStop} hook ({@code POST /actuator/etcd/deregister}). Instances registered
	 * under leases of their own stay.
	 * @return whether they were not drained already
	 */
	public boolean drain() {
		boolean drained = this.applicationRegistrations.drain((all) -> this.lease
			.remove(all.stream().flatMap((registration) -> keys(registration).stream()).toList()));
		if (drained) {
			logger.info("Drained: " + this.applicationRegistrations.all() + " deregistered from etcd until resumed");
		}
		return drained;
	}

	/**
	 * Write the instances of a {@link #drain() drained} application again.
	 * @return whether they were drained
	 */
	public boolean resume() {
		boolean resumed = this.applicationRegistrations.resume(this.writer::write);
		if (resumed) {
			logger.info("Resumed: " + this.applicationRegistrations.all() + " registered in etcd again");
		}
		return resumed;
	}

	/**
	 * This application's instances as they stand, asking etcd nothing.
	 * @return a report per instance, in the order they were registered
	 */
	public List<RegistrationReport> report() {
		return RegistrationReport.of(this.applicationRegistrations.all(), getState(), this.formats, this.lease);
	}

	/**
	 * The keep-alive failures, losses and re-registrations of this application's lease.
	 * @return the statistics, kept up to date
	 */
	public RegistrationStatistics getStatistics() {
		return this.lease.statistics();
	}

	/**
	 * Where to report the {@code etcd.registry.register} and
	 * {@code etcd.registry.deregister} observations.
	 * @param observationRegistry the registry, none ({@link ObservationRegistry#NOOP}) by
	 * default
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.observations.use(observationRegistry);
	}

	/**
	 * Stop keeping the registration alive. Keys still registered expire with their lease.
	 * The instances registered with their own lease are deregistered.
	 */
	@Override
	public void close() {
		this.leasedRegistrations.close();
		this.lease.close(false);
	}

	/**
	 * Change the status stored with the instance, all or nothing: the status changes only
	 * once it is in etcd (or, for an instance not registered, for its registration), in
	 * turn with registration, deregistration and the restoration of a lost registration.
	 * A status that could not be written is not applied later.
	 * @param registration the instance
	 * @param status one of {@link InstanceStatus#ALL}
	 * @throws InvalidRegistrationStatusException for any other status
	 */
	@Override
	public void setStatus(EtcdRegistration registration, @Nullable String status) {
		String normalized = (status != null) ? status.trim().toUpperCase(Locale.ROOT) : null;
		if (!InstanceStatus.ALL.contains(normalized)) {
			throw new InvalidRegistrationStatusException(status);
		}
		if (registration.getInstanceId() == null) {
			registration.setStatus(normalized);
			return;
		}
		boolean written = this.lease.update(() -> this.formats.entries(withStatus(registration, normalized)),
				() -> registration.setStatus(normalized));
		if (written) {
			logger.info("Status of " + registration + " in etcd is now " + normalized);
		}
	}

	@SuppressWarnings("unchecked")
	@Override
	public String getStatus(EtcdRegistration registration) {
		return registration.getStatus();
	}

	/**
	 * Whether the registered instances are in etcd, or drained on purpose.
	 * @return {@code true} when nothing needs restoring
	 */
	public boolean isHealthy() {
		RegistrationState state = this.lease.state();
		return state != RegistrationState.RESTORING && state != RegistrationState.FAILED;
	}

	/**
	 * Why the registration is not in etcd.
	 * @return the last failure, or {@code null}
	 */
	public @Nullable String getLastFailure() {
		return this.lease.lastFailure();
	}

	/**
	 * The state of the registration: {@code IDLE}, {@code REGISTERED}, {@code RESTORING},
	 * {@code FAILED}, {@code DRAINED} (see {@link #drain()}) or {@code CLOSED}.
	 * @return the state
	 */
	public String getState() {
		RegistrationState state = this.lease.state();
		return (this.applicationRegistrations.isDrained() && state != RegistrationState.CLOSED) ? "DRAINED"
				: state.name();
	}

	/**
	 * The lease the instances are registered under.
	 * @return the lease id, 0 when there is none
	 */
	public long getLeaseId() {
		return this.lease.leaseId();
	}

	private void check(EtcdRegistration registration) {
		Assert.isTrue(StringUtils.hasText(registration.getServiceId()), "A registration needs a service id");
		Assert.isTrue(StringUtils.hasText(registration.getInstanceId()),
				() -> "Registration " + registration + " needs an instance id");
		Assert.isTrue(StringUtils.hasText(registration.getHost()),
				() -> "Registration " + registration + " needs a host");
		Assert.isTrue(registration.getPort() > 0 && registration.getPort() <= 65535,
				() -> "Registration " + registration + " needs a port between 1 and 65535");
		Assert.isTrue(registration.getWeight() > 0, () -> "Registration " + registration + " needs a positive weight");
		try {
			this.formats.check(registration.toServiceInstance());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(FORMATS_PROPERTY,
					String.join(",", this.formats.names()), "Cannot publish " + registration + ": " + ex.getMessage());
		}
	}

	/**
	 * Where an instance is registered: its keys, the lease and its TTL. Each call logs it
	 * at debug level; {@link EtcdAutoServiceRegistration} logs the application's at info.
	 */
	String describe(EtcdRegistration registration) {
		return this.writer.describe(registration);
	}

	private List<LeasedKey> keys(EtcdRegistration registration) {
		return this.formats.keys(registration.toServiceInstance());
	}

	private static EtcdServiceInstance withStatus(EtcdRegistration registration, String status) {
		EtcdServiceInstance instance = registration.toServiceInstance();
		return new EtcdServiceInstance(instance.getServiceId(), instance.getInstanceId(), instance.getHost(),
				instance.getPort(), instance.isSecure(), status, instance.getWeight(),
				instance.getRegisteredMetadata());
	}

	/**
	 * Settings of the registry.
	 *
	 * @param endpoints the etcd endpoints, for error messages
	 * @param keepaliveTtl the lease TTL
	 * @param requestTimeout the deadline of each request
	 * @param failFast whether a registration that cannot be written fails, rather than
	 * being retried in the background
	 * @param retry how a lost registration is restored
	 * @param maxRetryDelay the longest delay between two attempts to restore it
	 * ({@code retry.delay} when shorter): the delay starts at {@code retry.delay} and
	 * doubles, with jitter, after each failed attempt
	 */
	public record Settings(List<String> endpoints, Duration keepaliveTtl, Duration requestTimeout, boolean failFast,
			EtcdServiceProperties.Retry retry, Duration maxRetryDelay) {

		/**
		 * Settings whose restoration attempts keep the delay {@code retry.delay}.
		 * @param endpoints the etcd endpoints, for error messages
		 * @param keepaliveTtl the lease TTL
		 * @param requestTimeout the deadline of each request
		 * @param failFast whether a registration that cannot be written fails
		 * @param retry how a lost registration is restored
		 */
		public Settings(List<String> endpoints, Duration keepaliveTtl, Duration requestTimeout, boolean failFast,
				EtcdServiceProperties.Retry retry) {
			this(endpoints, keepaliveTtl, requestTimeout, failFast, retry, retry.getDelay());
		}

	}

}
