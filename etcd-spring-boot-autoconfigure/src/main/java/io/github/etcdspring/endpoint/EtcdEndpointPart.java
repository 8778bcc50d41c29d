package io.github.etcdspring.endpoint;

/**
 * One part of the {@code etcd} endpoint, read at {@code /actuator/etcd/{name}} and shown
 * with the others at {@code /actuator/etcd}. A part answers from the state its feature
 * keeps anyway and never shows a secret or a document's content.
 *
 * @author etcd-spring-boot contributors
 */
public interface EtcdEndpointPart {

	/**
	 * The part's sub-path, e.g. {@code registrations}.
	 * @return a name unique among the parts and actions
	 */
	String name();

	/**
	 * The part as it stands now, serialized to JSON by the endpoint.
	 * @return records, maps, lists and simple values
	 */
	Object describe();

}
