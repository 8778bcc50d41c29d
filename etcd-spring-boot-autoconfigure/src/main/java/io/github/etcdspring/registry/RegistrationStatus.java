package io.github.etcdspring.registry;

import io.github.etcdspring.client.EtcdFailure;
import org.jspecify.annotations.Nullable;

/**
 * Where the registration stands: its {@link RegistrationState} and why it is not in etcd.
 * Changed on the registry thread, read by any.
 *
 * @author etcd-spring-boot contributors
 */
class RegistrationStatus {

	private volatile RegistrationState state = RegistrationState.IDLE;

	private volatile @Nullable RuntimeException lastFailure;

	RegistrationState state() {
		return this.state;
	}

	void state(RegistrationState state) {
		this.state = state;
	}

	/**
	 * Why the registration is not in etcd.
	 * @return the last failure, or {@code null}
	 */
	@Nullable RuntimeException lastFailure() {
		return this.lastFailure;
	}

	void lastFailure(@Nullable RuntimeException failure) {
		this.lastFailure = failure;
	}

	/**
	 * Why the registration is not in etcd, described.
	 * @return the description of the last failure, or {@code null}
	 */
	@Nullable String lastFailureDescription() {
		RuntimeException failure = this.lastFailure;
		return (failure != null) ? describe(failure) : null;
	}

	/**
	 * Throw the last failure unless registered.
	 */
	void requireRegistered() {
		if (this.state != RegistrationState.REGISTERED) {
			throw (this.lastFailure != null) ? this.lastFailure
					: new IllegalStateException("Not registered in etcd (" + this.state + ")");
		}
	}

	/**
	 * Describe a failure to register, as logged and reported.
	 * @param failure the failure
	 * @return its kind and message
	 */
	static String describe(RuntimeException failure) {
		return EtcdFailure.of(failure).description() + ": " + EtcdFailure.messageOf(failure);
	}

}
