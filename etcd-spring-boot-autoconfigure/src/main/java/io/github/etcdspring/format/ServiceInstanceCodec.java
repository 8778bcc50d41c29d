package io.github.etcdspring.format;

/**
 * Turns an instance into the value stored under its registry key, and back. The service
 * and instance id always come from the key (see {@link RegistryKeyLayout}); the value
 * holds the rest. Define a bean of this type to read and write another registry format.
 *
 * @author etcd-spring-boot contributors
 */
public interface ServiceInstanceCodec {

	/**
	 * Encode an instance.
	 * @param instance the instance
	 * @return the value to store
	 */
	byte[] encode(EtcdServiceInstance instance);

	/**
	 * Decode a value.
	 * @param serviceId the service id, from the key
	 * @param instanceId the instance id, from the key
	 * @param value the stored value
	 * @return the instance
	 * @throws MalformedInstanceException when the value does not describe an instance
	 */
	EtcdServiceInstance decode(String serviceId, String instanceId, byte[] value);

}
