package io.github.etcdspring.format;

import java.util.List;

/**
 * The statuses an instance can have in the registry, those of
 * {@code /actuator/serviceregistry}. Only {@code UP} instances are discovered by default.
 *
 * @author etcd-spring-boot contributors
 */
public final class InstanceStatus {

	public static final String UP = "UP";

	public static final String DOWN = "DOWN";

	public static final String OUT_OF_SERVICE = "OUT_OF_SERVICE";

	public static final String STARTING = "STARTING";

	/** Every valid status. */
	public static final List<String> ALL = List.of(UP, DOWN, OUT_OF_SERVICE, STARTING);

	private InstanceStatus() {
	}

	/**
	 * The constant equal to a status, so that instances share it.
	 * @param status a status
	 * @return the constant, or the status itself when it is not one of {@link #ALL}
	 */
	static String canonical(String status) {
		for (String known : ALL) {
			if (known.equals(status)) {
				return known;
			}
		}
		return status;
	}

}
