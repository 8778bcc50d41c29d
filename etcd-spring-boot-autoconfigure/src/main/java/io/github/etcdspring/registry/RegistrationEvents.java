package io.github.etcdspring.registry;

import java.util.List;

import io.github.etcdspring.client.EtcdFailure;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Reports each loss and each restoration of the registration: logged once, and published
 * as an application event. Events are queued on the registry thread, so that they are
 * published after the work that caused them and their listeners may call back into the
 * registry.
 *
 * @author etcd-spring-boot contributors
 */
class RegistrationEvents {

	private static final Log logger = LogFactory.getLog(RegistrationEvents.class);

	private final ApplicationEventPublisher eventPublisher;

	private final Object eventSource;

	private final RegistryThread thread;

	RegistrationEvents(ApplicationEventPublisher eventPublisher, Object eventSource, RegistryThread thread) {
		this.eventPublisher = eventPublisher;
		this.eventSource = eventSource;
		this.thread = thread;
	}

	void lost(List<String> keys, EtcdFailure failure, String reason) {
		logger.warn("The etcd registration of " + keys + " was lost (" + reason + "); registering again");
		publishLater(new EtcdRegistrationLostEvent(this.eventSource, keys, failure, reason));
	}

	void restored(List<String> keys, long leaseId, int attempts) {
		logger.info("Registered " + keys + " in etcd again under lease " + Long.toHexString(leaseId) + " after "
				+ attempts + " attempt(s)");
		publishLater(new EtcdRegistrationRestoredEvent(this.eventSource, keys, leaseId, attempts));
	}

	private void publishLater(ApplicationEvent event) {
		this.thread.execute(() -> this.eventPublisher.publishEvent(event));
	}

}
