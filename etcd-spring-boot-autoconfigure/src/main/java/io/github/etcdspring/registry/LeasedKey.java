package io.github.etcdspring.registry;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import io.etcd.jetcd.ByteSequence;
import org.jspecify.annotations.Nullable;

/**
 * A key of a {@link RegistrationLease}, which may be named after the lease it is written
 * under: go-zero's keys are {@code {service}/{lease id}}, so a restoration under a new
 * lease writes a new key, and the old one goes with the old lease. Two keys are the same
 * entry when their ids are equal.
 *
 * @author etcd-spring-boot contributors
 */
final class LeasedKey {

	private final String id;

	private final @Nullable ByteSequence fixed;

	private final LongFunction<ByteSequence> naming;

	private LeasedKey(String id, @Nullable ByteSequence fixed, LongFunction<ByteSequence> naming) {
		this.id = id;
		this.fixed = fixed;
		this.naming = naming;
	}

	/**
	 * A key that does not depend on the lease.
	 * @param key the key
	 * @return the entry
	 */
	static LeasedKey fixed(ByteSequence key) {
		return new LeasedKey(RegistryWriter.text(key), key, (leaseId) -> key);
	}

	/**
	 * A key named after the lease.
	 * @param id what identifies the entry whatever the lease
	 * @param naming the key under a lease
	 * @return the entry
	 */
	static LeasedKey namedAfterLease(String id, LongFunction<ByteSequence> naming) {
		return new LeasedKey(id, null, naming);
	}

	/**
	 * The key under a lease.
	 * @param leaseId the lease, granted
	 * @return the key
	 */
	ByteSequence under(long leaseId) {
		return this.naming.apply(leaseId);
	}

	/**
	 * Keys under a lease.
	 * @param keys the keys
	 * @param leaseId the lease, granted
	 * @return the keys under it, in order
	 */
	static List<ByteSequence> under(Collection<LeasedKey> keys, long leaseId) {
		return keys.stream().map((key) -> key.under(leaseId)).toList();
	}

	/**
	 * Entries under a lease.
	 * @param entries the keys and their values
	 * @param leaseId the lease, granted
	 * @return the keys under it and their values, in order
	 */
	static Map<ByteSequence, ByteSequence> under(Map<LeasedKey, ByteSequence> entries, long leaseId) {
		Map<ByteSequence, ByteSequence> under = new LinkedHashMap<>();
		entries.forEach((key, value) -> under.put(key.under(leaseId), value));
		return under;
	}

	/**
	 * Whether the key depends on the lease.
	 * @return whether it is named after it
	 */
	boolean isNamedAfterLease() {
		return this.fixed == null;
	}

	/**
	 * The key under a lease, for messages.
	 * @param leaseId the lease, or 0 when there is none
	 * @return the key, or the id when the key is named after a lease not granted yet
	 */
	String describe(long leaseId) {
		return (!isNamedAfterLease() || leaseId == 0) ? this.id : RegistryWriter.text(under(leaseId));
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof LeasedKey that && this.id.equals(that.id);
	}

	@Override
	public int hashCode() {
		return this.id.hashCode();
	}

	@Override
	public String toString() {
		return this.id;
	}

}
