package io.github.etcdspring.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.github.etcdspring.client.EtcdFutures;
import org.jspecify.annotations.Nullable;

/**
 * Writes and deletes instance keys in etcd, never taking over a key another lease holds:
 * every write is a transaction guarded by what was read just before (the key is absent,
 * or still the version our lease wrote), and a key held by another lease is a
 * {@link DuplicateInstanceException}. A key is deleted only while it is still ours. It
 * waits for etcd's answers and keeps no state.
 *
 * @author etcd-spring-boot contributors
 */
class RegistryWriter {

	private final Client client;

	private final long ttlSeconds;

	private final Duration requestTimeout;

	/**
	 * @param ttlSeconds our TTL, assumed for another lease whose remaining TTL we may not
	 * read
	 */
	RegistryWriter(Client client, long ttlSeconds, Duration requestTimeout) {
		this.client = client;
		this.ttlSeconds = ttlSeconds;
		this.requestTimeout = requestTimeout;
	}

	/**
	 * The conditions under which the keys may be written, read now.
	 * @param keys the keys
	 * @param ourLeaseId the lease the keys are under, or 0
	 * @throws DuplicateInstanceException when another lease (or none) holds one of them
	 */
	Cmp[] guards(Collection<ByteSequence> keys, long ourLeaseId) {
		return keys.stream().map((key) -> guard(key, ourLeaseId)).toArray(Cmp[]::new);
	}

	/**
	 * Write every entry under a lease in one transaction, if the guards still hold.
	 * @return the revision of the write
	 * @throws IllegalStateException when a guard no longer holds
	 */
	long putAll(Map<ByteSequence, ByteSequence> entries, Cmp[] guards, long leaseId) {
		PutOption withLease = PutOption.builder().withLeaseId(leaseId).build();
		TxnResponse response = await(this.client.getKVClient()
			.txn()
			.If(guards)
			.Then(entries.entrySet()
				.stream()
				.map((entry) -> Op.put(entry.getKey(), entry.getValue(), withLease))
				.toArray(Op[]::new))
			.commit());
		if (!response.isSucceeded()) {
			throw new IllegalStateException(
					"The etcd keys " + entries.keySet().stream().map(RegistryWriter::text).toList()
							+ " changed while they were registered");
		}
		return response.getHeader().getRevision();
	}

	/**
	 * Write one key under our lease, if it is absent or still ours.
	 * @return the revision of the write
	 * @throws DuplicateInstanceException when another lease holds it
	 * @throws IllegalStateException when it changed between the read and the write
	 */
	long put(ByteSequence key, ByteSequence value, long leaseId) {
		Op write = Op.put(key, value, PutOption.builder().withLeaseId(leaseId).build());
		// a new instance, the common case, in one round trip: written if the key is
		// absent
		TxnResponse response = await(this.client.getKVClient()
			.txn()
			.If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)))
			.Then(write)
			.commit());
		if (response.isSucceeded()) {
			return response.getHeader().getRevision();
		}
		response = await(this.client.getKVClient().txn().If(guard(key, leaseId)).Then(write).commit());
		if (!response.isSucceeded()) {
			throw new IllegalStateException("The etcd key " + text(key) + " changed while it was written");
		}
		return response.getHeader().getRevision();
	}

	/**
	 * Delete a key only while it is still the version written under our lease: another
	 * process may have taken the instance id over. When we know the revision we wrote it
	 * at, in one round trip; otherwise, or when it changed since, after reading it.
	 * @param writtenRevision the revision our lease last wrote the key at, or 0
	 */
	void deleteIfOurs(ByteSequence key, long leaseId, long writtenRevision) {
		if (writtenRevision != 0 && deleteIfAt(key, writtenRevision)) {
			return;
		}
		KeyValue found = get(key);
		if (found != null && found.getLease() == leaseId) {
			deleteIfAt(key, found.getModRevision());
		}
	}

	private boolean deleteIfAt(ByteSequence key, long modRevision) {
		return await(this.client.getKVClient()
			.txn()
			.If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(modRevision)))
			.Then(Op.delete(key, DeleteOption.DEFAULT))
			.commit()).isSucceeded();
	}

	/**
	 * Read the keys from one key to another, both included, without their values, in one
	 * request.
	 * @param first the first key
	 * @param last the last key
	 * @return the keys found, by key
	 */
	Map<ByteSequence, KeyValue> keysBetween(ByteSequence first, ByteSequence last) {
		GetOption keysOnly = GetOption.builder()
			.withKeysOnly(true)
			.withRange(last.concat(ByteSequence.from(new byte[] { 0 })))
			.build();
		Map<ByteSequence, KeyValue> found = new HashMap<>();
		for (KeyValue keyValue : await(this.client.getKVClient().get(first, keysOnly)).getKvs()) {
			found.put(keyValue.getKey(), keyValue);
		}
		return found;
	}

	/**
	 * Read a key.
	 * @return the key, or {@code null} when it is absent
	 */
	@Nullable KeyValue get(ByteSequence key) {
		List<KeyValue> found = await(this.client.getKVClient().get(key, GetOption.DEFAULT)).getKvs();
		return found.isEmpty() ? null : found.get(0);
	}

	/**
	 * The current revision of etcd, as seen by a count of a key.
	 * @return the revision
	 */
	long revision(ByteSequence key) {
		GetOption countOnly = GetOption.builder().withCountOnly(true).build();
		return await(this.client.getKVClient().get(key, countOnly)).getHeader().getRevision();
	}

	/**
	 * The condition under which a key may be written: it is absent, or still the version
	 * our lease holds.
	 * @throws DuplicateInstanceException when another lease (or none) holds it
	 */
	private Cmp guard(ByteSequence key, long ourLeaseId) {
		KeyValue current = get(key);
		if (current == null) {
			return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0));
		}
		if (current.getLease() != 0 && current.getLease() == ourLeaseId) {
			return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(current.getModRevision()));
		}
		long remainingSeconds = 0;
		if (current.getLease() != 0) {
			try {
				remainingSeconds = Math.max(0,
						await(this.client.getLeaseClient().timeToLive(current.getLease(), LeaseOption.DEFAULT))
							.getTTL());
			}
			catch (RuntimeException ex) {
				// Not allowed to ask (etcd 3.5 wants read access to every key of the
				// lease): assume our own TTL.
				remainingSeconds = this.ttlSeconds;
			}
		}
		throw new DuplicateInstanceException(text(key), current.getLease(), Duration.ofSeconds(remainingSeconds));
	}

	private <T> T await(CompletableFuture<T> future) {
		return EtcdFutures.await(future, this.requestTimeout);
	}

	static String text(ByteSequence key) {
		return key.toString(StandardCharsets.UTF_8);
	}

}
