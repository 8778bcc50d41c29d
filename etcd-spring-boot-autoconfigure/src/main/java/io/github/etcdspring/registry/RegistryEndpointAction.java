package io.github.etcdspring.registry;

import io.github.etcdspring.endpoint.EtcdEndpointAction;

/**
 * The drain actions of the {@code etcd} endpoint: {@code POST /actuator/etcd/deregister}
 * takes this application's instances out of etcd and keeps them out
 * ({@link EtcdServiceRegistry#drain()}), {@code POST /actuator/etcd/register} writes them
 * again ({@link EtcdServiceRegistry#resume()}).
 *
 * @author etcd-spring-boot contributors
 */
public final class RegistryEndpointAction implements EtcdEndpointAction {

	private final String name;

	private final EtcdServiceRegistry registry;

	private final boolean drain;

	private RegistryEndpointAction(String name, EtcdServiceRegistry registry, boolean drain) {
		this.name = name;
		this.registry = registry;
		this.drain = drain;
	}

	/**
	 * The {@code deregister} action.
	 * @param registry the registry
	 * @return the action
	 */
	public static RegistryEndpointAction deregister(EtcdServiceRegistry registry) {
		return new RegistryEndpointAction("deregister", registry, true);
	}

	/**
	 * The {@code register} action.
	 * @param registry the registry
	 * @return the action
	 */
	public static RegistryEndpointAction register(EtcdServiceRegistry registry) {
		return new RegistryEndpointAction("register", registry, false);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public Result perform() {
		boolean changed = this.drain ? this.registry.drain() : this.registry.resume();
		return new Result(changed, this.registry.getState());
	}

	/**
	 * What an action did.
	 *
	 * @param changed whether it changed anything ({@code false} when already drained, or
	 * not drained)
	 * @param state the state of the registration afterwards, e.g. {@code DRAINED}
	 */
	public record Result(boolean changed, String state) {
	}

}
