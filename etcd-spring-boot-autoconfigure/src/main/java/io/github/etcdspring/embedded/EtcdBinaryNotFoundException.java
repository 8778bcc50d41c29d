package io.github.etcdspring.embedded;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a local etcd should be started but no etcd binary can be found.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdBinaryNotFoundException extends IllegalStateException {

	static final String INSTALL_HINT = "Install etcd ('apt-get install etcd-server' on Debian/Ubuntu), set "
			+ "etcd.embedded.binary to the binary's location, or point etcd.endpoints at an existing cluster and set "
			+ "etcd.embedded.enabled=false.";

	private final @Nullable String location;

	EtcdBinaryNotFoundException(@Nullable String location) {
		super(((location != null) ? "No executable etcd binary at '" + location + "'"
				: "No etcd binary was found on the PATH") + ". " + INSTALL_HINT);
		this.location = location;
	}

	/**
	 * The location that was configured.
	 * @return the configured location, or {@code null} when the PATH was searched
	 */
	public @Nullable String getLocation() {
		return this.location;
	}

}
