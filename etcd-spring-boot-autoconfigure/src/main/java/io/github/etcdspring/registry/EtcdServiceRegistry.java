package io.github.etcdspring.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.discovery.InstanceStatus;
import io.github.etcdspring.discovery.RegistryKeyLayout;
import io.github.etcdspring.discovery.ServiceInstanceCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * A {@link ServiceRegistry} that writes instances to etcd under a lease that it keeps alive and restores when lost
 * (see {@link RegistrationLease}). A status set through {@code /actuator/serviceregistry} applies to the registration
 * the endpoint knows, the service's; a gRPC registration keeps its own.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdServiceRegistry implements ServiceRegistry<EtcdRegistration> {

	private static final Log logger = LogFactory.getLog(EtcdServiceRegistry.class);

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
				settings.requestTimeout(), eventPublisher, this);
	}

	@Override
	public void register(EtcdRegistration registration) {
		check(registration);
		ByteSequence key = key(registration);
		try {
			this.lease.put(key, value(registration));
			logger.info("Registered " + registration + " in etcd under key '" + text(key) + "' (lease "
					+ Long.toHexString(this.lease.leaseId()) + ", TTL " + this.lease.ttl().toSeconds() + "s)");
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
	 * Change the status stored with the instance.
	 * @param registration the instance
	 * @param status one of {@link InstanceStatus#ALL}
	 * @throws InvalidRegistrationStatusException for any other status
	 */
	@Override
	public void setStatus(EtcdRegistration registration, String status) {
		String normalized = (status != null) ? status.trim().toUpperCase(Locale.ROOT) : null;
		if (!InstanceStatus.ALL.contains(normalized)) {
			throw new InvalidRegistrationStatusException(status);
		}
		String previous = registration.getStatus();
		registration.setStatus(normalized);
		if (registration.getInstanceId() != null && this.lease.isRegistered(key(registration))) {
			try {
				this.lease.put(key(registration), value(registration));
			}
			catch (RuntimeException ex) {
				registration.setStatus(previous);
				throw ex;
			}
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
		RegistrationLease.State state = this.lease.state();
		return state != RegistrationLease.State.RESTORING && state != RegistrationLease.State.FAILED;
	}

	/**
	 * Why the registration is not in etcd.
	 * @return the last failure, or {@code null}
	 */
	public String getLastFailure() {
		return this.lease.lastFailure();
	}

	/**
	 * The state of the registration: {@code IDLE}, {@code REGISTERED}, {@code RESTORING}, {@code FAILED} or
	 * {@code CLOSED}.
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
		Assert.isTrue(StringUtils.hasText(registration.getHost()), () -> "Registration " + registration + " needs a host");
		Assert.isTrue(registration.getPort() > 0 && registration.getPort() <= 65535,
				() -> "Registration " + registration + " needs a port between 1 and 65535");
		Assert.isTrue(registration.getWeight() > 0, () -> "Registration " + registration + " needs a positive weight");
	}

	private ByteSequence key(EtcdRegistration registration) {
		return this.layout.instanceKey(registration.getServiceId(), registration.getInstanceId());
	}

	private ByteSequence value(EtcdRegistration registration) {
		return ByteSequence.from(this.codec.encode(registration.toServiceInstance()));
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
	 * @param failFast whether a registration that cannot be written fails, rather than being retried in the
	 * background
	 * @param retry how a lost registration is restored
	 */
	public record Settings(List<String> endpoints, Duration keepaliveTtl, Duration requestTimeout,
			boolean failFast, EtcdServiceProperties.Retry retry) {
	}

}
