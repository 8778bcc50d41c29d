package io.github.etcdspring.endpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code etcd} endpoint: every {@link EtcdEndpointPart part} at
 * {@code /actuator/etcd}, one at {@code /actuator/etcd/{part}}, and the
 * {@link EtcdEndpointAction actions} with {@code POST /actuator/etcd/{action}}. An
 * unknown name answers 404.
 *
 * @author etcd-spring-boot contributors
 */
@Endpoint(id = "etcd")
public class EtcdEndpoint {

	private final Map<String, EtcdEndpointPart> parts = new LinkedHashMap<>();

	private final Map<String, EtcdEndpointAction> actions = new LinkedHashMap<>();

	public EtcdEndpoint(List<EtcdEndpointPart> parts, List<EtcdEndpointAction> actions) {
		parts.forEach((part) -> register(this.parts, part.name(), part));
		actions.forEach((action) -> register(this.actions, action.name(), action));
	}

	private <T> void register(Map<String, T> named, String name, T contribution) {
		if (this.parts.containsKey(name) || this.actions.containsKey(name)) {
			throw new IllegalStateException("Two parts or actions of the etcd endpoint are named '" + name + "'");
		}
		named.put(name, contribution);
	}

	/**
	 * Every part, in order.
	 * @return the parts' descriptions by name
	 */
	@ReadOperation
	public Map<String, Object> parts() {
		Map<String, Object> described = new LinkedHashMap<>();
		this.parts.forEach((name, part) -> described.put(name, part.describe()));
		return described;
	}

	/**
	 * One part.
	 * @param name the part's name
	 * @return its description, or {@code null} (404) for an unknown name
	 */
	@ReadOperation
	public @Nullable Object part(@Selector String name) {
		EtcdEndpointPart part = this.parts.get(name);
		return (part != null) ? part.describe() : null;
	}

	/**
	 * Runs one action.
	 * @param name the action's name
	 * @return what it did, or {@code null} (404) for an unknown name
	 */
	@WriteOperation
	public @Nullable Object perform(@Selector String name) {
		EtcdEndpointAction action = this.actions.get(name);
		return (action != null) ? action.perform() : null;
	}

}
