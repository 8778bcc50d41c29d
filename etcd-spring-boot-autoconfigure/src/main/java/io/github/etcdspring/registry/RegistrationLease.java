package io.github.etcdspring.registry;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.lease.LeaseSession;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * The lease under which this application's instance keys live, and what keeps them there.
 * <p>
 * The registration counts as lost when the lease is gone, when the keep-alive got no
 * answer for a whole TTL, when one of the keys is deleted (by someone else, or because
 * the lease expired), or when the periodic check finds a key missing. A lost registration
 * is then restored under a new lease. Each loss and each restoration is logged once and
 * published as an application event.
 * <p>
 * This class owns what registering, changing and removing a key does in each
 * {@link RegistrationState}, and ties together the collaborators that do the rest: the
 * keys, the lease they live under and how they are written are the
 * {@link RegisteredKeys}; the state and the last failure are the
 * {@link RegistrationStatus}; the deletion watches and the periodic check are the
 * {@link LossDetectors}; how a loss leads to a restoration is the {@link Restoration}'s.
 * <p>
 * Everything runs on one {@link RegistryThread}; the package-private methods wait for it.
 * Losses and restorations are reported through {@link RegistrationEvents}, after the work
 * that caused them.
 *
 * @author etcd-spring-boot contributors
 */
class RegistrationLease {

	private final long ttlSeconds;

	private final RegistryThread thread;

	private final RegistrationEvents events;

	private final RegistrationStatus status = new RegistrationStatus();

	private final RegisteredKeys registeredKeys;

	private final Restoration restoration;

	/**
	 * A registration whose work runs on the given registry thread: a new one, or one
	 * whose scheduler a test drives.
	 */
	RegistrationLease(Client client, Duration ttl, EtcdServiceProperties.Retry retry, RetryBackoff retryBackoff,
			Duration requestTimeout, ApplicationEventPublisher eventPublisher, Object eventSource,
			RegistryThread thread) {
		this.thread = thread;
		this.ttlSeconds = Math.max(1, ttl.toSeconds());
		RegistryWriter writer = new RegistryWriter(client, this.ttlSeconds, requestTimeout);
		this.events = new RegistrationEvents(eventPublisher, eventSource, this.thread);
		LossDetectors lossDetectors = new LossDetectors(client, writer, this.thread, retryBackoff, requestTimeout,
				retry.getCheckInterval(), new LossDetectors.Registration() {

					@Override
					public boolean isRegistered() {
						return RegistrationLease.this.status.state() == RegistrationState.REGISTERED;
					}

					@Override
					public long leaseId() {
						return RegistrationLease.this.leaseId();
					}

					@Override
					public Collection<ByteSequence> keys() {
						return RegistrationLease.this.registeredKeys.under(leaseId());
					}

					@Override
					public void lost(long leaseId, ReregistrationReason reason, String description) {
						RegistrationLease.this.lost(leaseId, reason, description);
					}

				});
		this.registeredKeys = new RegisteredKeys(client, writer, this.ttlSeconds, requestTimeout, lossDetectors,
				this.events
					.countingFailures((lostLeaseId, error,
							reason) -> this.thread.execute(() -> lost(lostLeaseId,
									(error != null) ? ReregistrationReason.LEASE_NOT_FOUND
											: ReregistrationReason.KEEPALIVE_TIMEOUT,
									(error != null) ? error : reason))));
		this.restoration = new Restoration(this.registeredKeys, this.status, this.events, this.thread, retry,
				retryBackoff);
	}

	/**
	 * Write keys under the lease, granting the lease first if there is none. When the
	 * keys cannot be written because the registration is being restored, the registry
	 * keeps trying in the background and the failure is thrown.
	 * @param values the keys and their values, computed on the registry thread so that
	 * they are the latest
	 * @throws DuplicateInstanceException when another lease holds one of the keys
	 */
	void put(Supplier<Map<LeasedKey, ByteSequence>> values) {
		this.thread.call(() -> {
			Map<LeasedKey, ByteSequence> written = values.get();
			this.registeredKeys.remember(written);
			switch (this.status.state()) {
				case IDLE -> this.restoration.establishOrRestoreLater();
				case REGISTERED -> putUnderLease(written);
				case RESTORING, FAILED -> this.restoration.restoreNow();
				case CLOSED -> throw new IllegalStateException("The etcd service registry is closed");
			}
			this.status.requireRegistered();
			return null;
		});
	}

	/**
	 * Change the values of registered keys, all or nothing and in turn with {@link #put},
	 * {@link #remove} and the restoration: the new values are kept, and {@code applied}
	 * run, only once they are in etcd. Values that could not be written are forgotten, so
	 * that no later restoration writes them. Keys that are not registered are left alone:
	 * only {@code applied} runs, and the next {@link #put} writes the values it then
	 * computes.
	 * @param values the keys and their new values
	 * @param applied what to do once the new values are in force
	 * @return whether the keys were registered
	 */
	boolean update(Supplier<Map<LeasedKey, ByteSequence>> values, Runnable applied) {
		return this.thread.call(() -> {
			Map<LeasedKey, ByteSequence> written = this.registeredKeys.registeredOf(values.get());
			if (written.isEmpty()) {
				applied.run();
				return false;
			}
			Map<LeasedKey, ByteSequence> previous = this.registeredKeys.copy();
			this.registeredKeys.remember(written);
			try {
				switch (this.status.state()) {
					case REGISTERED -> putUnderLease(written);
					case RESTORING, FAILED -> this.restoration.restoreNow();
					default -> throw new IllegalStateException("Not registered in etcd (" + this.status.state() + ")");
				}
				this.status.requireRegistered();
			}
			catch (RuntimeException ex) {
				// Still the registry thread: a restoration scheduled meanwhile runs after
				// this and writes the previous values.
				this.registeredKeys.remember(previous);
				throw ex;
			}
			applied.run();
			return true;
		});
	}

	/**
	 * Remove keys: delete them, or revoke the lease when they were its last ones (which
	 * deletes them in one revision, as go-zero and go-core deregister).
	 * @param keys the keys
	 * @return whether one of them was registered
	 */
	boolean remove(Collection<LeasedKey> keys) {
		return this.thread.call(() -> {
			List<ByteSequence> removed = this.registeredKeys.forget(keys);
			if (removed == null) {
				return false;
			}
			if (this.registeredKeys.isEmpty()) {
				releaseLease(true);
				this.status.state(RegistrationState.IDLE);
				return true;
			}
			this.registeredKeys.stopWatching(removed, this.status.state() == RegistrationState.REGISTERED);
			return true;
		});
	}

	/**
	 * The keys under the current lease.
	 * @param keys the entries
	 * @return their keys, or their ids while there is no lease
	 */
	List<String> describe(Collection<LeasedKey> keys) {
		return this.registeredKeys.describe(keys);
	}

	/**
	 * Stop keeping the keys alive and release the registry thread.
	 * @param revoke whether to revoke the lease, deleting the keys at once, rather than
	 * let them expire
	 */
	void close(boolean revoke) {
		if (this.status.state() == RegistrationState.CLOSED) {
			return;
		}
		try {
			this.thread.call(() -> {
				releaseLease(revoke);
				this.registeredKeys.clear();
				this.status.state(RegistrationState.CLOSED);
				return null;
			});
		}
		finally {
			this.thread.shutdown();
		}
	}

	RegistrationState state() {
		return this.status.state();
	}

	/**
	 * Why the registration is not in etcd.
	 * @return the description of the last failure, or {@code null}
	 */
	@Nullable String lastFailure() {
		return this.status.lastFailureDescription();
	}

	long leaseId() {
		return this.registeredKeys.leaseId();
	}

	Duration ttl() {
		return Duration.ofSeconds(this.ttlSeconds);
	}

	/**
	 * The current lease, to read its granted TTL and etcd's last answer about it.
	 * @return the session, or {@code null} while there is no lease
	 */
	@Nullable LeaseSession session() {
		return this.registeredKeys.session();
	}

	RegistrationStatistics statistics() {
		return this.events.statistics();
	}

	// ---------------------------------------------------------------- the registry
	// thread

	/**
	 * Write keys under the current lease, in one transaction.
	 */
	private void putUnderLease(Map<LeasedKey, ByteSequence> values) {
		long leaseId = leaseId();
		try {
			this.registeredKeys.put(values);
		}
		catch (RuntimeException ex) {
			if (LeaseSession.isLeaseNotFound(ex)) {
				lost(leaseId, ReregistrationReason.LEASE_NOT_FOUND, ex);
				return;
			}
			// A failed write says nothing about the lease: report it and leave the
			// registration alone.
			throw ex;
		}
	}

	private void lost(long lostLeaseId, ReregistrationReason why, Object cause) {
		this.restoration.lost(lostLeaseId, why, cause);
	}

	private void releaseLease(boolean revoke) {
		this.restoration.cancel();
		this.registeredKeys.release(revoke);
	}

}
