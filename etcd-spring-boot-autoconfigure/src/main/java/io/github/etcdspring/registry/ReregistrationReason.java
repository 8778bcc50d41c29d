package io.github.etcdspring.registry;

import java.util.Locale;

/**
 * Why the registration had to be written again: the {@code reason} tag of the
 * {@code etcd.registry.lease.losses} and {@code etcd.registry.reregistrations} meters and
 * the last reason the {@code registrations} endpoint part shows.
 *
 * @author etcd-spring-boot contributors
 */
public enum ReregistrationReason {

	/** etcd said the lease is gone (expired or revoked), to the keep-alive or a write. */
	LEASE_NOT_FOUND,

	/** The keep-alive got no answer for a whole TTL. */
	KEEPALIVE_TIMEOUT,

	/** The deletion watch saw one of the keys deleted. */
	KEY_DELETED,

	/** The periodic check found one of the keys missing. */
	KEY_MISSING,

	/**
	 * The registration could not be written in the first place (etcd unreachable, or the
	 * key held by another lease) and was written later in the background.
	 */
	REGISTRATION_FAILED;

	/**
	 * The reason as a tag value, e.g. {@code lease-not-found}.
	 * @return the value
	 */
	public String tagValue() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
