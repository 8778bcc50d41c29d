package io.github.etcdspring.leader;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.leader.event.OnRevokedEvent;

/**
 * Spring Integration's view of the application's leadership: publishes its
 * {@link OnGrantedEvent} and {@link OnRevokedEvent} after each
 * {@link EtcdLeadershipGrantedEvent} and {@link EtcdLeadershipRevokedEvent}, with a
 * {@link Context} whose role is the election name and whose {@code yield()} resigns and
 * campaigns again.
 *
 * @author etcd-spring-boot contributors
 */
class IntegrationLeaderEvents implements ApplicationListener<EtcdLeadershipEvent> {

	private final EtcdLeaderInitiator initiator;

	private final ApplicationEventPublisher publisher;

	private final Context context;

	IntegrationLeaderEvents(EtcdLeaderInitiator initiator, ApplicationEventPublisher publisher) {
		this.initiator = initiator;
		this.publisher = publisher;
		this.context = new Context() {

			@Override
			public boolean isLeader() {
				return initiator.isLeader();
			}

			@Override
			public void yield() {
				initiator.yieldLeadership();
			}

			@Override
			public String getRole() {
				return initiator.getName();
			}

			@Override
			public String toString() {
				return "etcd leadership of '" + initiator.getName() + "' (leader: " + initiator.isLeader() + ")";
			}

		};
	}

	@Override
	public void onApplicationEvent(EtcdLeadershipEvent event) {
		if (event.getSource() != this.initiator) {
			return;
		}
		if (event instanceof EtcdLeadershipGrantedEvent) {
			this.publisher.publishEvent(new OnGrantedEvent(this.initiator, this.context, event.getName()));
		}
		else if (event instanceof EtcdLeadershipRevokedEvent) {
			this.publisher.publishEvent(new OnRevokedEvent(this.initiator, this.context, event.getName()));
		}
	}

}
