package io.github.etcdspring.coordination;

/**
 * A section of the {@code coordination} part of the {@code etcd} endpoint, next to the
 * session: the locks, the elections. Each feature declares its own as a bean; it answers
 * from the state its feature keeps, never calling etcd.
 *
 * @author etcd-spring-boot contributors
 */
public interface CoordinationEndpointSection {

	/**
	 * The section's name in the part, e.g. {@code locks}.
	 * @return a name other than {@code session}, unique among the sections
	 */
	String name();

	/**
	 * The section as it stands now, serialized to JSON by the endpoint.
	 * @return records, maps, lists and simple values
	 */
	Object describe();

}
