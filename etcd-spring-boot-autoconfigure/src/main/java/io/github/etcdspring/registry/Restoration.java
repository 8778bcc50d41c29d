package io.github.etcdspring.registry;

import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.lease.LeaseSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * How a registration that is lost, or could not be written in the first place, gets back
 * into etcd: by granting a new lease and writing every key again in one transaction
 * ({@link RegisteredKeys#establish()}), retried as {@link RestoreAttempts} says until it
 * works or the attempts run out. The old lease is kept alive until then, so that keys
 * still under it do not expire meanwhile, and revoked once they live under the new one. A
 * key held by another lease is never taken over: the restoration waits until it is gone.
 * Each loss and each restoration is reported through {@link RegistrationEvents}.
 * <p>
 * Confined to the registry thread.
 *
 * @author etcd-spring-boot contributors
 */
class Restoration {

	private static final Log logger = LogFactory.getLog(Restoration.class);

	private final RegisteredKeys keys;

	private final RegistrationStatus status;

	private final RegistrationEvents events;

	private final RestoreAttempts attempts;

	Restoration(RegisteredKeys keys, RegistrationStatus status, RegistrationEvents events, RegistryThread thread,
			EtcdServiceProperties.Retry retry, RetryBackoff retryBackoff) {
		this.keys = keys;
		this.status = status;
		this.events = events;
		this.attempts = new RestoreAttempts(thread, retry, retryBackoff, this::restore);
	}

	/**
	 * Write the keys under a first lease, or try again later when that fails.
	 */
	void establishOrRestoreLater() {
		try {
			this.keys.establish();
			this.status.state(RegistrationState.REGISTERED);
		}
		catch (RuntimeException ex) {
			this.status.state(RegistrationState.RESTORING);
			this.attempts.reset();
			this.attempts.failed();
			this.status.lastFailure(ex);
			this.events.notRegistered();
			this.attempts.scheduleNext();
		}
	}

	/**
	 * Try restoring now, as if no attempt had failed yet.
	 */
	void restoreNow() {
		this.attempts.reset();
		restore();
	}

	/**
	 * The registration is gone (or going): restore it.
	 * @param lostLeaseId the lease it was under
	 * @param why why it counts as lost
	 * @param cause the failure, or what was seen
	 */
	void lost(long lostLeaseId, ReregistrationReason why, Object cause) {
		if (lostLeaseId != this.keys.leaseId() || this.status.state() != RegistrationState.REGISTERED) {
			return;
		}
		this.status.state(RegistrationState.RESTORING);
		String reason = (cause instanceof RuntimeException failure) ? RegistrationStatus.describe(failure)
				: cause.toString();
		EtcdFailure failure = (cause instanceof Throwable throwable) ? EtcdFailure.of(throwable) : EtcdFailure.OTHER;
		this.status
			.lastFailure((cause instanceof RuntimeException runtime) ? runtime : new IllegalStateException(reason));
		this.events.lost(this.keys.describe(), failure, reason, why);
		restore();
	}

	/**
	 * Cancel the scheduled attempt, if any.
	 */
	void cancel() {
		this.attempts.cancel();
	}

	private void restore() {
		this.attempts.cancel();
		if (this.status.state() == RegistrationState.CLOSED || this.keys.isEmpty()) {
			return;
		}
		this.status.state(RegistrationState.RESTORING);
		LeaseSession previous;
		try {
			previous = this.keys.establish();
		}
		catch (RuntimeException ex) {
			boolean exhausted = this.attempts.failed();
			if (ex instanceof DuplicateInstanceException
					&& !(this.status.lastFailure() instanceof DuplicateInstanceException)) {
				logger.warn("Not registering " + this.keys.describe() + " in etcd again while " + ex.getMessage()
						+ "; trying again until it is gone");
			}
			this.status.lastFailure(ex);
			if (exhausted) {
				this.status.state(RegistrationState.FAILED);
				logger.error(
						"Gave up registering " + this.keys.describe() + " in etcd after " + this.attempts.failedCount()
								+ " attempts: " + RegistrationStatus.describe(ex) + " (service.retry.max-attempts)");
				return;
			}
			logger.debug(
					"Could not register " + this.keys.describe() + " in etcd yet: " + RegistrationStatus.describe(ex));
			this.attempts.scheduleNext();
			return;
		}
		int attempts = this.attempts.succeeded();
		this.status.lastFailure(null);
		this.status.state(RegistrationState.REGISTERED);
		if (previous != null) {
			// Its keys now live under the new lease: revoking it only frees it.
			previous.revokeInBackground();
		}
		this.events.restored(this.keys.describe(), this.keys.leaseId(), attempts);
	}

}
