package io.github.etcdspring.registry;

import java.util.List;

import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.lease.LeaseSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Reports each loss and each restoration of the registration: logged once, counted in the
 * {@link RegistrationStatistics} with the failures of the keep-alive, and published as an
 * application event. Events are queued on the registry thread, so that they are published
 * after the work that caused them and their listeners may call back into the registry.
 *
 * @author etcd-spring-boot contributors
 */
class RegistrationEvents {

	private static final Log logger = LogFactory.getLog(RegistrationEvents.class);

	private final ApplicationEventPublisher eventPublisher;

	private final Object eventSource;

	private final RegistryThread thread;

	private final RegistrationStatistics statistics = new RegistrationStatistics();

	// Confined to the registry thread: why the registration is being written again.
	private ReregistrationReason pending = ReregistrationReason.REGISTRATION_FAILED;

	RegistrationEvents(ApplicationEventPublisher eventPublisher, Object eventSource, RegistryThread thread) {
		this.eventPublisher = eventPublisher;
		this.eventSource = eventSource;
		this.thread = thread;
	}

	RegistrationStatistics statistics() {
		return this.statistics;
	}

	/**
	 * A keep-alive listener that counts the keep-alive's failures, then tells another.
	 * @param listener told of the losses
	 * @return the listener to keep the lease alive with
	 */
	LeaseSession.LossListener countingFailures(LeaseSession.LossListener listener) {
		return new LeaseSession.LossListener() {

			@Override
			public void leaseLost(long leaseId, @Nullable Throwable error, String reason) {
				listener.leaseLost(leaseId, error, reason);
			}

			@Override
			public void keepAliveFailed(long leaseId, @Nullable Throwable error) {
				RegistrationEvents.this.statistics.keepAliveFailed();
			}

		};
	}

	/**
	 * The registration could not be written in the first place; it is being retried.
	 */
	void notRegistered() {
		this.pending = ReregistrationReason.REGISTRATION_FAILED;
	}

	void lost(List<String> keys, EtcdFailure failure, String reason, ReregistrationReason cause) {
		this.pending = cause;
		this.statistics.lost(cause);
		logger.warn("The etcd registration of " + keys + " was lost (" + reason + "); registering again");
		publishLater(new EtcdRegistrationLostEvent(this.eventSource, keys, failure, reason));
	}

	void restored(List<String> keys, long leaseId, int attempts) {
		this.statistics.reregistered(this.pending);
		logger.info("Registered " + keys + " in etcd again under lease " + Long.toHexString(leaseId) + " after "
				+ attempts + " attempt(s)");
		publishLater(new EtcdRegistrationRestoredEvent(this.eventSource, keys, leaseId, attempts));
	}

	private void publishLater(ApplicationEvent event) {
		this.thread.execute(() -> this.eventPublisher.publishEvent(event));
	}

}
