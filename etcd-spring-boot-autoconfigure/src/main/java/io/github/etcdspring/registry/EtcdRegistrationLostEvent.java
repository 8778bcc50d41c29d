package io.github.etcdspring.registry;

import java.util.List;

import io.github.etcdspring.client.EtcdFailure;

import org.springframework.context.ApplicationEvent;

/**
 * Published once when this application's registration disappeared from etcd (lease
 * expired or lost, key deleted, or keep-alive broken) and the registry starts restoring
 * it.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdRegistrationLostEvent extends ApplicationEvent {

	private final List<String> keys;

	private final EtcdFailure failure;

	private final String reason;

	public EtcdRegistrationLostEvent(Object source, List<String> keys, EtcdFailure failure, String reason) {
		super(source);
		this.keys = List.copyOf(keys);
		this.failure = failure;
		this.reason = reason;
	}

	/**
	 * The etcd keys of the instances concerned.
	 * @return the keys
	 */
	public List<String> getKeys() {
		return this.keys;
	}

	public EtcdFailure getFailure() {
		return this.failure;
	}

	public String getReason() {
		return this.reason;
	}

}
