package io.github.etcdspring.client;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

/**
 * Details required to establish a connection to an etcd cluster. Properties supply them
 * by default; a local etcd launcher, a test container or Docker Compose can supply their
 * own.
 *
 * @author etcd-spring-boot contributors
 */
public interface EtcdConnectionDetails extends ConnectionDetails {

	/**
	 * Endpoints of the cluster, each {@code http://host:port} or
	 * {@code https://host:port}.
	 * @return the endpoints, never empty
	 */
	List<URI> getEndpoints();

	/**
	 * User name for authentication.
	 * @return the user name, or {@code null} when the cluster does not require
	 * authentication
	 */
	default @Nullable String getUsername() {
		return null;
	}

	/**
	 * Password for authentication.
	 * @return the password, or {@code null}
	 */
	default @Nullable String getPassword() {
		return null;
	}

	/**
	 * SSL bundle to connect with; required for {@code https} endpoints.
	 * @return the bundle, or {@code null} for plain-text connections
	 */
	default @Nullable SslBundle getSslBundle() {
		return null;
	}

}
