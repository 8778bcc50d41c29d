package io.github.etcdspring.registry;

import java.util.List;

import org.springframework.context.ApplicationEvent;

/**
 * Published once when a lost registration is back in etcd, under a new lease.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdRegistrationRestoredEvent extends ApplicationEvent {

	private final List<String> keys;

	private final long leaseId;

	private final int attempts;

	public EtcdRegistrationRestoredEvent(Object source, List<String> keys, long leaseId, int attempts) {
		super(source);
		this.keys = List.copyOf(keys);
		this.leaseId = leaseId;
		this.attempts = attempts;
	}

	public List<String> getKeys() {
		return this.keys;
	}

	public long getLeaseId() {
		return this.leaseId;
	}

	/**
	 * How many attempts the restoration took.
	 * @return the attempts, at least 1
	 */
	public int getAttempts() {
		return this.attempts;
	}

}
