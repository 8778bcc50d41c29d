package io.github.etcdspring.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Cmp;
import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.lease.LeaseSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * The lease under which this application's instance keys live, and what keeps them there.
 * <p>
 * All keys share one lease, kept alive by jetcd's keep-alive stream. A key may be named
 * after the lease ({@link LeasedKey}, go-zero's): a restoration then writes it under its
 * new name, and the old one goes with the old lease. The registration counts as lost when
 * the lease is gone, when the keep-alive got no answer for a whole TTL, when one of the
 * keys is deleted (by someone else, or because the lease expired), or when the periodic
 * check finds a key missing. A lost registration is restored by granting a new lease and
 * writing every key again in one transaction, retried with a growing, jittered delay
 * ({@link RetryBackoff}) until it works or the attempts run out; the old lease is kept
 * alive until then, so that keys still under it do not expire meanwhile. A key held by
 * another lease is never taken over ({@link DuplicateInstanceException}). Each loss and
 * each restoration is logged once and published as an application event.
 * <p>
 * This class owns the registered keys and the state machine of their registration
 * ({@link RegistrationState}): what registering, changing and removing a key does in each
 * state, and how a loss leads to a restoration. The lease itself is a
 * {@link LeaseSession}; the guarded writes and deletes are the {@link RegistryWriter}'s;
 * the deletion watches and the periodic check are the {@link LossDetectors}; when to try
 * again is {@link RestoreAttempts}'s.
 * <p>
 * Everything runs on one {@link RegistryThread}; the package-private methods wait for it.
 * Losses and restorations are reported through {@link RegistrationEvents}, after the work
 * that caused them.
 * <p>
 * Why this class is over 350 lines: it is one state machine, and every transition reads
 * and changes the same confined state (the keys, the state, the lease, the last failure)
 * in the same task on the registry thread. What could stand alone already does (the
 * collaborators above); splitting the transitions themselves would share that mutable
 * state between classes and spread one state machine over them.
 *
 * @author etcd-spring-boot contributors
 */
class RegistrationLease {

	private static final Log logger = LogFactory.getLog(RegistrationLease.class);

	private final Client client;

	private final RegistryWriter writer;

	private final long ttlSeconds;

	private final Duration requestTimeout;

	private final RegistryThread thread;

	private final RegistrationEvents events;

	// Confined to the registry thread.
	private final Map<LeasedKey, ByteSequence> entries = new LinkedHashMap<>();

	private final LossDetectors lossDetectors;

	private final RestoreAttempts restoreAttempts;

	// Read by any thread.
	private volatile @Nullable LeaseSession session;

	private volatile RegistrationState state = RegistrationState.IDLE;

	private volatile @Nullable RuntimeException lastFailure;

	/**
	 * A registration whose work runs on the given registry thread: a new one, or one
	 * whose scheduler a test drives.
	 */
	RegistrationLease(Client client, Duration ttl, EtcdServiceProperties.Retry retry, RetryBackoff retryBackoff,
			Duration requestTimeout, ApplicationEventPublisher eventPublisher, Object eventSource,
			RegistryThread thread) {
		this.client = client;
		this.thread = thread;
		this.ttlSeconds = Math.max(1, ttl.toSeconds());
		this.requestTimeout = requestTimeout;
		this.writer = new RegistryWriter(client, this.ttlSeconds, requestTimeout);
		this.events = new RegistrationEvents(eventPublisher, eventSource, this.thread);
		this.restoreAttempts = new RestoreAttempts(this.thread, retry, retryBackoff, this::restore);
		this.lossDetectors = new LossDetectors(client, this.writer, this.thread, retryBackoff, requestTimeout,
				retry.getCheckInterval(), new LossDetectors.Registration() {

					@Override
					public boolean isRegistered() {
						return RegistrationLease.this.state == RegistrationState.REGISTERED;
					}

					@Override
					public long leaseId() {
						return RegistrationLease.this.leaseId();
					}

					@Override
					public Collection<ByteSequence> keys() {
						return LeasedKey.under(RegistrationLease.this.entries.keySet(), leaseId());
					}

					@Override
					public void lost(long leaseId, ReregistrationReason reason, String description) {
						RegistrationLease.this.lost(leaseId, reason, description);
					}

				});
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
			this.entries.putAll(written);
			switch (this.state) {
				case IDLE -> establishOrRestoreLater();
				case REGISTERED -> putUnderLease(written);
				case RESTORING, FAILED -> {
					this.restoreAttempts.reset();
					restore();
				}
				case CLOSED -> throw new IllegalStateException("The etcd service registry is closed");
			}
			requireRegistered();
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
			Map<LeasedKey, ByteSequence> written = new LinkedHashMap<>(values.get());
			written.keySet().retainAll(this.entries.keySet());
			if (written.isEmpty()) {
				applied.run();
				return false;
			}
			Map<LeasedKey, ByteSequence> previous = new LinkedHashMap<>(this.entries);
			this.entries.putAll(written);
			try {
				switch (this.state) {
					case REGISTERED -> putUnderLease(written);
					case RESTORING, FAILED -> {
						this.restoreAttempts.reset();
						restore();
					}
					default -> throw new IllegalStateException("Not registered in etcd (" + this.state + ")");
				}
				requireRegistered();
			}
			catch (RuntimeException ex) {
				// Still the registry thread: a restoration scheduled meanwhile runs after
				// this and writes the previous values.
				this.entries.putAll(previous);
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
			long leaseId = leaseId();
			List<ByteSequence> removed = new ArrayList<>();
			boolean registered = false;
			for (LeasedKey key : keys) {
				if (this.entries.remove(key) != null) {
					registered = true;
					if (leaseId != 0) {
						removed.add(key.under(leaseId));
					}
				}
			}
			if (!registered) {
				return false;
			}
			if (this.entries.isEmpty()) {
				releaseLease(true);
				this.state = RegistrationState.IDLE;
				return true;
			}
			for (ByteSequence key : removed) {
				long writtenRevision = this.lossDetectors.writtenRevision(key);
				this.lossDetectors.stop(key);
				if (this.state == RegistrationState.REGISTERED) {
					this.writer.deleteIfOurs(key, leaseId, writtenRevision);
				}
			}
			return true;
		});
	}

	/**
	 * The keys under the current lease.
	 * @param keys the entries
	 * @return their keys, or their ids while there is no lease
	 */
	List<String> describe(Collection<LeasedKey> keys) {
		long leaseId = leaseId();
		return keys.stream().map((key) -> key.describe(leaseId)).toList();
	}

	/**
	 * Stop keeping the keys alive and release the registry thread.
	 * @param revoke whether to revoke the lease, deleting the keys at once, rather than
	 * let them expire
	 */
	void close(boolean revoke) {
		if (this.state == RegistrationState.CLOSED) {
			return;
		}
		try {
			this.thread.call(() -> {
				releaseLease(revoke);
				this.entries.clear();
				this.state = RegistrationState.CLOSED;
				return null;
			});
		}
		finally {
			this.thread.shutdown();
		}
	}

	RegistrationState state() {
		return this.state;
	}

	/**
	 * Why the registration is not in etcd.
	 * @return the description of the last failure, or {@code null}
	 */
	@Nullable String lastFailure() {
		RuntimeException failure = this.lastFailure;
		return (failure != null) ? describe(failure) : null;
	}

	long leaseId() {
		LeaseSession current = this.session;
		return (current != null) ? current.id() : 0;
	}

	Duration ttl() {
		return Duration.ofSeconds(this.ttlSeconds);
	}

	/**
	 * The current lease, to read its granted TTL and etcd's last answer about it.
	 * @return the session, or {@code null} while there is no lease
	 */
	@Nullable LeaseSession session() {
		return this.session;
	}

	RegistrationStatistics statistics() {
		return this.events.statistics();
	}

	// ---------------------------------------------------------------- the registry
	// thread

	private void establishOrRestoreLater() {
		try {
			establish();
			this.state = RegistrationState.REGISTERED;
		}
		catch (RuntimeException ex) {
			this.state = RegistrationState.RESTORING;
			this.restoreAttempts.reset();
			this.restoreAttempts.failed();
			this.lastFailure = ex;
			this.events.notRegistered();
			this.restoreAttempts.scheduleNext();
		}
	}

	private void requireRegistered() {
		if (this.state != RegistrationState.REGISTERED) {
			throw (this.lastFailure != null) ? this.lastFailure
					: new IllegalStateException("Not registered in etcd (" + this.state + ")");
		}
	}

	/**
	 * Grant a lease, write every key under it in one transaction, then keep it alive and
	 * watch the keys. Only then is the previous lease's keep-alive stopped. A key held by
	 * another lease is never taken over: the transaction writes the keys only while each
	 * is still absent or ours, as read just before: the keys that do not depend on the
	 * lease before it is granted, so that a key held by another lease costs no lease,
	 * those named after it (new keys) once it is.
	 */
	private void establish() {
		long previousLeaseId = leaseId();
		List<Cmp> guards = new ArrayList<>(List.of(this.writer.guards(keysNamedAfterLease(false, 0), previousLeaseId)));
		LeaseSession newSession = LeaseSession.grant(this.client, this.ttlSeconds, this.requestTimeout);
		Map<ByteSequence, ByteSequence> written = LeasedKey.under(this.entries, newSession.id());
		long revision;
		try {
			guards.addAll(List.of(this.writer.guards(keysNamedAfterLease(true, newSession.id()), previousLeaseId)));
			revision = this.writer.putAll(written, guards.toArray(Cmp[]::new), newSession.id());
		}
		catch (RuntimeException ex) {
			newSession.revokeInBackground();
			throw ex;
		}
		LeaseSession previous = this.session;
		this.session = newSession;
		newSession.keepAlive(this.events.countingFailures((lostLeaseId, error,
				reason) -> this.thread.execute(() -> lost(lostLeaseId,
						(error != null) ? ReregistrationReason.LEASE_NOT_FOUND : ReregistrationReason.KEEPALIVE_TIMEOUT,
						(error != null) ? error : reason))));
		if (previous != null) {
			previous.stopKeepAlive();
		}
		long newLeaseId = newSession.id();
		// keys named after the previous lease go with it: stop watching them
		this.lossDetectors.stopAll();
		written.keySet().forEach((key) -> this.lossDetectors.watch(key, newLeaseId, revision));
		this.lossDetectors.startChecks();
	}

	/**
	 * Write keys under the current lease, in one transaction.
	 */
	private void putUnderLease(Map<LeasedKey, ByteSequence> values) {
		long leaseId = leaseId();
		Map<ByteSequence, ByteSequence> written = LeasedKey.under(values, leaseId);
		try {
			long revision = (written.size() == 1)
					? this.writer.put(written.keySet().iterator().next(), written.values().iterator().next(), leaseId)
					: this.writer.putAll(written, this.writer.guards(written.keySet(), leaseId), leaseId);
			written.keySet().forEach((key) -> this.lossDetectors.watch(key, leaseId, revision));
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

	/**
	 * The registration is gone (or going): restore it.
	 */
	private void lost(long lostLeaseId, ReregistrationReason why, Object cause) {
		if (lostLeaseId != leaseId() || this.state != RegistrationState.REGISTERED) {
			return;
		}
		this.state = RegistrationState.RESTORING;
		String reason = (cause instanceof RuntimeException failure) ? describe(failure) : cause.toString();
		EtcdFailure failure = (cause instanceof Throwable throwable) ? EtcdFailure.of(throwable) : EtcdFailure.OTHER;
		this.lastFailure = (cause instanceof RuntimeException runtime) ? runtime : new IllegalStateException(reason);
		this.events.lost(keys(), failure, reason, why);
		restore();
	}

	private void restore() {
		this.restoreAttempts.cancel();
		if (this.state == RegistrationState.CLOSED || this.entries.isEmpty()) {
			return;
		}
		this.state = RegistrationState.RESTORING;
		LeaseSession previous = this.session;
		try {
			establish();
		}
		catch (RuntimeException ex) {
			boolean exhausted = this.restoreAttempts.failed();
			if (ex instanceof DuplicateInstanceException && !(this.lastFailure instanceof DuplicateInstanceException)) {
				logger.warn("Not registering " + keys() + " in etcd again while " + ex.getMessage()
						+ "; trying again until it is gone");
			}
			this.lastFailure = ex;
			if (exhausted) {
				this.state = RegistrationState.FAILED;
				logger.error("Gave up registering " + keys() + " in etcd after " + this.restoreAttempts.failedCount()
						+ " attempts: " + describe(ex) + " (service.retry.max-attempts)");
				return;
			}
			logger.debug("Could not register " + keys() + " in etcd yet: " + describe(ex));
			this.restoreAttempts.scheduleNext();
			return;
		}
		int attempts = this.restoreAttempts.succeeded();
		this.lastFailure = null;
		this.state = RegistrationState.REGISTERED;
		if (previous != null) {
			// Its keys now live under the new lease: revoking it only frees it.
			previous.revokeInBackground();
		}
		this.events.restored(keys(), leaseId(), attempts);
	}

	private void releaseLease(boolean revoke) {
		LeaseSession released = this.session;
		if (released != null) {
			released.stopKeepAlive();
		}
		this.lossDetectors.stopAll();
		this.restoreAttempts.cancel();
		if (revoke && released != null) {
			try {
				released.revoke();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not revoke the etcd registration lease " + Long.toHexString(released.id())
						+ "; its keys expire within " + this.ttlSeconds + "s (" + EtcdFailure.messageOf(ex) + ")");
			}
		}
		this.session = null;
	}

	private List<String> keys() {
		return describe(this.entries.keySet());
	}

	private List<ByteSequence> keysNamedAfterLease(boolean named, long leaseId) {
		return LeasedKey
			.under(this.entries.keySet().stream().filter((key) -> key.isNamedAfterLease() == named).toList(), leaseId);
	}

	private static String describe(RuntimeException failure) {
		return EtcdFailure.of(failure).description() + ": " + EtcdFailure.messageOf(failure);
	}

}
