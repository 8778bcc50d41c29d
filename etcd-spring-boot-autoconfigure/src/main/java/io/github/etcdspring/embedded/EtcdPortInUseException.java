package io.github.etcdspring.embedded;

/**
 * A local etcd could not start because another process holds one of its ports: the port
 * was free when it was chosen, and taken before etcd bound it, or it was configured.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdPortInUseException extends IllegalStateException {

	private final int port;

	public EtcdPortInUseException(int port, String message) {
		super(message);
		this.port = port;
	}

	/**
	 * The port that was taken.
	 * @return the port
	 */
	public int getPort() {
		return this.port;
	}

}
