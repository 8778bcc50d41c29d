package io.github.etcdspring.registry;

/**
 * States of the registration (see {@link RegistrationLease}).
 *
 * @author etcd-spring-boot contributors
 */
enum RegistrationState {

	/** Nothing registered. */
	IDLE,

	/** Every key is in etcd under a live lease. */
	REGISTERED,

	/** The registration was lost or could not be written yet; attempts continue. */
	RESTORING,

	/** The attempts ran out (service.retry.max-attempts). */
	FAILED,

	/** Closed for good. */
	CLOSED

}
