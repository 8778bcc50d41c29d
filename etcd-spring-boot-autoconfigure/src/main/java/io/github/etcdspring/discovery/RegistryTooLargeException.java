package io.github.etcdspring.discovery;

/**
 * A key of the service registry is larger than the client accepts in one message
 * ({@code etcd.max-inbound-message-size}), so the registry cannot be read, even one key
 * per page.
 *
 * @author etcd-spring-boot contributors
 */
public class RegistryTooLargeException extends IllegalStateException {

	RegistryTooLargeException(String key, Throwable cause) {
		super("The etcd key '" + key + "' of the service registry is larger than the client accepts ("
				+ cause.getMessage() + "); raise etcd.max-inbound-message-size", cause);
	}

}
