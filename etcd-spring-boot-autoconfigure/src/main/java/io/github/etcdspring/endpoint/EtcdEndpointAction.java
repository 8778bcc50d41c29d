package io.github.etcdspring.endpoint;

/**
 * A write operation on this instance, run with {@code POST /actuator/etcd/{name}}.
 *
 * @author etcd-spring-boot contributors
 */
public interface EtcdEndpointAction {

	/**
	 * The action's sub-path, e.g. {@code deregister}.
	 * @return a name unique among the parts and actions
	 */
	String name();

	/**
	 * Runs the action once it is asked for.
	 * @return what the action did, serialized to JSON by the endpoint
	 */
	Object perform();

}
