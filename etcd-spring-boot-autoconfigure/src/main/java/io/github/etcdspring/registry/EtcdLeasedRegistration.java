package io.github.etcdspring.registry;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.etcdspring.format.EtcdServiceInstance;

/**
 * An instance registered under a lease of its own by
 * {@link EtcdServiceRegistry#register(EtcdServiceInstance, List, java.time.Duration)},
 * like the handle of go-core's {@code Register}: its keys are kept alive, and restored in
 * one transaction under a new lease when lost, until it is deregistered. Losses and
 * restorations are published as {@link EtcdRegistrationLostEvent} and
 * {@link EtcdRegistrationRestoredEvent} whose source is this registration.
 *
 * @author etcd-spring-boot contributors
 */
public final class EtcdLeasedRegistration implements AutoCloseable {

	private final EtcdServiceInstance instance;

	private final List<String> formats;

	private final RegistrationLease lease;

	private final Consumer<EtcdLeasedRegistration> onDeregistered;

	/**
	 * @param leaseFor the lease of a registration, given the source of its events
	 */
	@SuppressWarnings("this-escape")
	EtcdLeasedRegistration(EtcdServiceInstance instance, List<String> formats,
			Function<Object, RegistrationLease> leaseFor, Consumer<EtcdLeasedRegistration> onDeregistered) {
		this.instance = instance;
		this.formats = formats;
		this.onDeregistered = onDeregistered;
		this.lease = leaseFor.apply(this);
	}

	RegistrationLease lease() {
		return this.lease;
	}

	/**
	 * The instance registered.
	 * @return the instance
	 */
	public EtcdServiceInstance instance() {
		return this.instance;
	}

	/**
	 * The formats the instance is written in.
	 * @return their names
	 */
	public List<String> formats() {
		return this.formats;
	}

	/**
	 * The lease the keys are under now; it changes when a lost registration is restored.
	 * @return the lease id, 0 once deregistered (or while no lease is granted)
	 */
	public long leaseId() {
		return this.lease.leaseId();
	}

	/**
	 * Whether the keys are in etcd under a live lease.
	 * @return {@code false} while being restored, and once deregistered
	 */
	public boolean isRegistered() {
		return this.lease.state() == RegistrationState.REGISTERED;
	}

	/**
	 * Remove the instance: revoke its lease, which deletes every key in one revision.
	 * Does nothing when already deregistered. When etcd cannot be reached, the keys
	 * expire with the lease within its TTL.
	 */
	public void deregister() {
		this.lease.close(true);
		this.onDeregistered.accept(this);
	}

	/**
	 * Same as {@link #deregister()}.
	 */
	@Override
	public void close() {
		deregister();
	}

	@Override
	public String toString() {
		return this.instance + " in " + this.formats;
	}

}
