package io.github.etcdspring.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Cmp;
import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.lease.LeaseSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The keys of the registration and the lease they live under: what is written in etcd,
 * and how.
 * <p>
 * All keys share one lease, kept alive by jetcd's keep-alive stream. A key may be named
 * after the lease ({@link LeasedKey}, go-zero's): under a new lease it is written under
 * its new name, and the old one goes with the old lease. A key held by another lease is
 * never taken over ({@link DuplicateInstanceException}). Every key written is watched by
 * the {@link LossDetectors}. When to write is the {@link RegistrationLease}'s and, after
 * a loss, the {@link Restoration}'s.
 * <p>
 * Confined to the registry thread, except the lease ({@link #leaseId()},
 * {@link #session()}, {@link #describe(Collection)}), which any thread may read.
 *
 * @author etcd-spring-boot contributors
 */
class RegisteredKeys {

	private static final Log logger = LogFactory.getLog(RegisteredKeys.class);

	private final Client client;

	private final RegistryWriter writer;

	private final long ttlSeconds;

	private final Duration requestTimeout;

	private final LossDetectors lossDetectors;

	private final LeaseSession.LossListener keepAliveListener;

	private final Map<LeasedKey, ByteSequence> entries = new LinkedHashMap<>();

	// Read by any thread.
	private volatile @Nullable LeaseSession session;

	/**
	 * @param keepAliveListener told of the keep-alive's failures and of the loss of each
	 * lease
	 */
	RegisteredKeys(Client client, RegistryWriter writer, long ttlSeconds, Duration requestTimeout,
			LossDetectors lossDetectors, LeaseSession.LossListener keepAliveListener) {
		this.client = client;
		this.writer = writer;
		this.ttlSeconds = ttlSeconds;
		this.requestTimeout = requestTimeout;
		this.lossDetectors = lossDetectors;
		this.keepAliveListener = keepAliveListener;
	}

	/**
	 * Remember keys and their values, without writing them.
	 * @param values the keys and their values
	 */
	void remember(Map<LeasedKey, ByteSequence> values) {
		this.entries.putAll(values);
	}

	/**
	 * The given keys that are registered.
	 * @param values keys and their values
	 * @return those of them that are registered, with their given values
	 */
	Map<LeasedKey, ByteSequence> registeredOf(Map<LeasedKey, ByteSequence> values) {
		Map<LeasedKey, ByteSequence> registered = new LinkedHashMap<>(values);
		registered.keySet().retainAll(this.entries.keySet());
		return registered;
	}

	/**
	 * A copy of the keys and their values, to {@link #remember} again.
	 * @return the copy
	 */
	Map<LeasedKey, ByteSequence> copy() {
		return new LinkedHashMap<>(this.entries);
	}

	/**
	 * Forget keys, without deleting them.
	 * @param keys the keys
	 * @return those of them that were registered, named under the current lease (none
	 * while there is no lease), or {@code null} when none of them was registered
	 */
	@Nullable List<ByteSequence> forget(Collection<LeasedKey> keys) {
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
		return registered ? removed : null;
	}

	/**
	 * Stop watching keys that were {@link #forget forgotten}, and delete them if they are
	 * still ours.
	 * @param removed the keys, named under the current lease
	 * @param delete whether to delete them from etcd
	 */
	void stopWatching(List<ByteSequence> removed, boolean delete) {
		long leaseId = leaseId();
		for (ByteSequence key : removed) {
			long writtenRevision = this.lossDetectors.writtenRevision(key);
			this.lossDetectors.stop(key);
			if (delete) {
				this.writer.deleteIfOurs(key, leaseId, writtenRevision);
			}
		}
	}

	boolean isEmpty() {
		return this.entries.isEmpty();
	}

	void clear() {
		this.entries.clear();
	}

	/**
	 * The registered keys under the current lease.
	 * @return their keys, or their ids while there is no lease
	 */
	List<String> describe() {
		return describe(this.entries.keySet());
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
	 * The registered keys, named under the given lease.
	 * @param leaseId the lease
	 * @return the keys
	 */
	Collection<ByteSequence> under(long leaseId) {
		return LeasedKey.under(this.entries.keySet(), leaseId);
	}

	long leaseId() {
		LeaseSession current = this.session;
		return (current != null) ? current.id() : 0;
	}

	/**
	 * The current lease, to read its granted TTL and etcd's last answer about it.
	 * @return the session, or {@code null} while there is no lease
	 */
	@Nullable LeaseSession session() {
		return this.session;
	}

	/**
	 * Grant a lease, write every key under it in one transaction, then keep it alive and
	 * watch the keys. Only then is the previous lease's keep-alive stopped. A key held by
	 * another lease is never taken over: the transaction writes the keys only while each
	 * is still absent or ours, as read just before: the keys that do not depend on the
	 * lease before it is granted, so that a key held by another lease costs no lease,
	 * those named after it (new keys) once it is.
	 * @return the previous lease, still to be revoked, or {@code null}
	 */
	@Nullable LeaseSession establish() {
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
		newSession.keepAlive(this.keepAliveListener);
		if (previous != null) {
			previous.stopKeepAlive();
		}
		long newLeaseId = newSession.id();
		// keys named after the previous lease go with it: stop watching them
		this.lossDetectors.stopAll();
		written.keySet().forEach((key) -> this.lossDetectors.watch(key, newLeaseId, revision));
		this.lossDetectors.startChecks();
		return previous;
	}

	/**
	 * Write keys under the current lease, in one transaction, and watch them.
	 * @param values the keys and their values
	 */
	void put(Map<LeasedKey, ByteSequence> values) {
		long leaseId = leaseId();
		Map<ByteSequence, ByteSequence> written = LeasedKey.under(values, leaseId);
		long revision = (written.size() == 1)
				? this.writer.put(written.keySet().iterator().next(), written.values().iterator().next(), leaseId)
				: this.writer.putAll(written, this.writer.guards(written.keySet(), leaseId), leaseId);
		written.keySet().forEach((key) -> this.lossDetectors.watch(key, leaseId, revision));
	}

	/**
	 * Stop keeping the lease alive and watching the keys, and forget the lease.
	 * @param revoke whether to revoke the lease, deleting the keys at once, rather than
	 * let them expire
	 */
	void release(boolean revoke) {
		LeaseSession released = this.session;
		if (released != null) {
			released.stopKeepAlive();
		}
		this.lossDetectors.stopAll();
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

	private List<ByteSequence> keysNamedAfterLease(boolean named, long leaseId) {
		return LeasedKey
			.under(this.entries.keySet().stream().filter((key) -> key.isNamedAfterLease() == named).toList(), leaseId);
	}

}
