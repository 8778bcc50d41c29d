package io.github.etcdspring.discovery;

import io.github.etcdspring.format.EtcdServiceInstance;

/**
 * A change of one instance in the registry.
 *
 * @param type what happened
 * @param instance the instance after the change, or before it for {@link Type#REMOVED}
 * @param revision the etcd revision of the change
 * @author etcd-spring-boot contributors
 */
public record EtcdServiceEvent(Type type, EtcdServiceInstance instance, long revision) {

	public String serviceId() {
		return this.instance.getServiceId();
	}

	/**
	 * Kinds of change.
	 */
	public enum Type {

		/** An instance was registered. */
		ADDED,

		/** A registered instance changed, e.g. its status or metadata. */
		MODIFIED,

		/**
		 * An instance was deregistered, its lease expired, or its key was deleted or
		 * overwritten with garbage.
		 */
		REMOVED

	}

}
