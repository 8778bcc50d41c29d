package io.github.etcdspring.format;

/**
 * Thrown by a {@link ServiceInstanceCodec} when a value does not describe a service
 * instance.
 *
 * @author etcd-spring-boot contributors
 */
public class MalformedInstanceException extends RuntimeException {

	public MalformedInstanceException(String message) {
		super(message);
	}

	public MalformedInstanceException(String message, Throwable cause) {
		super(message, cause);
	}

}
