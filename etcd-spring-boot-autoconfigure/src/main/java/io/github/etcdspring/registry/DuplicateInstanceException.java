package io.github.etcdspring.registry;

import java.time.Duration;

/**
 * The key of an instance is held by another lease: another process registered the same
 * instance id, or this instance's previous run whose lease has not expired yet. The
 * registry never takes such a key over.
 *
 * @author etcd-spring-boot contributors
 */
class DuplicateInstanceException extends IllegalStateException {

	private final String key;

	private final long holderLeaseId;

	private final Duration holderRemainingTtl;

	DuplicateInstanceException(String key, long holderLeaseId, Duration holderRemainingTtl) {
		super("the etcd key '" + key + "' is already registered "
				+ ((holderLeaseId != 0) ? "under lease " + Long.toHexString(holderLeaseId) + " of another process"
						: "without a lease (written by another tool?)"));
		this.key = key;
		this.holderLeaseId = holderLeaseId;
		this.holderRemainingTtl = holderRemainingTtl;
	}

	String getKey() {
		return this.key;
	}

	/**
	 * The lease that holds the key.
	 * @return the lease id, 0 for a key written without a lease
	 */
	long getHolderLeaseId() {
		return this.holderLeaseId;
	}

	/**
	 * How long the holder's lease lives unless it is kept alive.
	 * @return the remaining TTL when the key was found held, zero for a key without a
	 * lease
	 */
	Duration getHolderRemainingTtl() {
		return this.holderRemainingTtl;
	}

}
