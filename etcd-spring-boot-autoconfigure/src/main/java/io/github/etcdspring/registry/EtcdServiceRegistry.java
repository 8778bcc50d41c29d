package io.github.etcdspring.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.InstanceStatus;
import io.github.etcdspring.format.RegistryKeyLayout;
import io.github.etcdspring.format.ServiceInstanceCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * A {@link ServiceRegistry} that writes instances to etcd under a lease that it keeps
 * alive and restores when lost (see {@link RegistrationLease}). A status set through
 * {@code /actuator/serviceregistry} applies to the registration the endpoint knows, the
 * service's; a gRPC registration keeps its own.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdServiceRegistry implements ServiceRegistry<EtcdRegistration> {

	private static final Log logger = LogFactory.getLog(EtcdServiceRegistry.class);

	/**
	 * Beyond the remaining TTL of a lease, how long it may take etcd to expire it: the
	 * TTL it reports is rounded down to seconds and expired leases are collected every
	 * half second.
	 */
	private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(2);

	private static final Duration DUPLICATE_POLL_INTERVAL = Duration.ofMillis(250);

	private final RegistryKeyLayout layout;

	private final ServiceInstanceCodec codec;

	private final List<String> endpoints;

	private final boolean failFast;

	private final RegistrationLease lease;

	/**
	 * Create a registry.
	 * @param client the etcd client
	 * @param layout where instances are written
	 * @param codec how instances are written
	 * @param settings the lease, retry and failure settings
	 * @param eventPublisher where to publish the loss and restoration of the registration
	 */
	public EtcdServiceRegistry(Client client, RegistryKeyLayout layout, ServiceInstanceCodec codec, Settings settings,
			ApplicationEventPublisher eventPublisher) {
		this.layout = layout;
		this.codec = codec;
		this.endpoints = settings.endpoints();
		this.failFast = settings.failFast();
		this.lease = new RegistrationLease(client, settings.keepaliveTtl(), settings.retry(),
				settings.retry().backoff(settings.maxRetryDelay()), settings.requestTimeout(), eventPublisher, this);
	}

	/**
	 * Register an instance. An instance id whose key another lease holds is not taken
	 * over: with {@code etcd.fail-fast}, registration waits until that lease could have
	 * expired (the previous run of this instance, killed, whose lease is not kept alive
	 * any more) and fails if the key is still held then (another process with the same
	 * instance id); without it, the registry keeps trying in the background.
	 * @param registration the instance
	 */
	@Override
	public void register(EtcdRegistration registration) {
		check(registration);
		ByteSequence key = key(registration);
		try {
			putWaitingForAPreviousRun(key, registration);
			logger.info("Registered " + registration + " in etcd under key '" + text(key) + "' (lease "
					+ Long.toHexString(this.lease.leaseId()) + ", TTL " + this.lease.ttl().toSeconds() + "s)");
		}
		catch (DuplicateInstanceException ex) {
			String message = "Could not register " + registration + ": instance id '" + registration.getInstanceId()
					+ "' is taken, " + ex.getMessage() + ". Give each instance its own service.instance-id";
			if (this.failFast) {
				this.lease.remove(key);
				throw new EtcdRegistrationException(message, EtcdFailure.OTHER, ex);
			}
			logger.warn(message + "; registering once that key is gone (etcd.fail-fast=false)");
		}
		catch (RuntimeException ex) {
			EtcdFailure failure = EtcdFailure.of(ex);
			String message = "Could not register " + registration + " in etcd at " + this.endpoints + " under key '"
					+ text(key) + "': " + failure.description() + " (" + EtcdFailure.messageOf(ex) + ")";
			if (this.failFast) {
				this.lease.remove(key);
				throw new EtcdRegistrationException(message, failure, ex);
			}
			logger.warn(message + "; retrying in the background (etcd.fail-fast=false)");
		}
	}

	/**
	 * Write the key of an instance; with fail-fast, while another lease holds it, try
	 * again until that lease could have expired. A restarted instance whose previous run
	 * was killed finds its key under the old lease, which nobody keeps alive any more: it
	 * expires within its remaining TTL.
	 */
	private void putWaitingForAPreviousRun(ByteSequence key, EtcdRegistration registration) {
		long deadline = 0;
		while (true) {
			try {
				this.lease.put(key, () -> value(registration));
				return;
			}
			catch (DuplicateInstanceException ex) {
				if (!this.failFast) {
					throw ex;
				}
				long now = System.nanoTime();
				if (deadline == 0) {
					Duration wait = ex.getHolderRemainingTtl().plus(EXPIRY_MARGIN);
					deadline = now + wait.toNanos();
					logger.info("The etcd key '" + ex.getKey() + "' of " + registration + " is held by lease "
							+ Long.toHexString(ex.getHolderLeaseId()) + "; waiting up to " + wait.toSeconds()
							+ "s for it to expire, in case it is this instance's previous run");
				}
				long left = deadline - now;
				if (left <= 0) {
					throw ex;
				}
				pause(Math.min(left, DUPLICATE_POLL_INTERVAL.toNanos()));
			}
		}
	}

	private static void pause(long nanos) {
		try {
			TimeUnit.NANOSECONDS.sleep(nanos);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting to register in etcd", ex);
		}
	}

	@Override
	public void deregister(EtcdRegistration registration) {
		if (registration.getInstanceId() == null) {
			return;
		}
		if (this.lease.remove(key(registration))) {
			logger.info("Deregistered " + registration + " from etcd");
		}
	}

	/**
	 * Stop keeping the registration alive. Keys still registered expire with their lease.
	 */
	@Override
	public void close() {
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
		boolean written = this.lease.update(key(registration), () -> value(registration, normalized),
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
	 * Whether the registered instances are in etcd.
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
	 * {@code FAILED} or {@code CLOSED}.
	 * @return the state
	 */
	public String getState() {
		return this.lease.state().name();
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
	}

	private ByteSequence key(EtcdRegistration registration) {
		return this.layout.instanceKey(registration.toServiceInstance(), this.lease.leaseId());
	}

	private ByteSequence value(EtcdRegistration registration) {
		return ByteSequence.from(this.codec.encode(registration.toServiceInstance()));
	}

	private ByteSequence value(EtcdRegistration registration, String status) {
		EtcdServiceInstance instance = registration.toServiceInstance();
		return ByteSequence.from(this.codec.encode(new EtcdServiceInstance(instance.getServiceId(),
				instance.getInstanceId(), instance.getHost(), instance.getPort(), instance.isSecure(), status,
				instance.getWeight(), instance.getRegisteredMetadata())));
	}

	private static String text(ByteSequence key) {
		return key.toString(StandardCharsets.UTF_8);
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
