package io.github.etcdspring.coordination;

/**
 * A lock or leadership is lost, or was lost while it was waited for: its session lease
 * expired or was revoked, or its key was deleted. It is never taken again silently.
 *
 * @author etcd-spring-boot contributors
 */
public class HoldLostException extends IllegalStateException {

	/**
	 * @param message what was lost, and why
	 */
	public HoldLostException(String message) {
		super(message);
	}

}
