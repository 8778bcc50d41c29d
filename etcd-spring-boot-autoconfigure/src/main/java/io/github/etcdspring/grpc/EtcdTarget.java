package io.github.etcdspring.grpc;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The service an {@code etcd:///{service}} target names. The service is everything after
 * the third slash, slashes included, as etcd's gRPC naming targets are
 * ({@code etcd:///foo/bar/my-service}). The authority ({@code etcd://host/...}) is
 * refused: the service is looked up in the application's catalog, whose etcd is
 * configured once by {@code etcd.endpoints}.
 *
 * @param serviceId the service
 * @author etcd-spring-boot contributors
 */
record EtcdTarget(String serviceId) {

	private static final String UNRESERVED_OR_SUB_DELIMS = "-._~!$&'()*+,;=:@";

	/**
	 * Read a target.
	 * @param target the target, of the {@code etcd} scheme
	 * @return the service it names
	 * @throws IllegalArgumentException when it is not {@code etcd:///{service}}
	 */
	static EtcdTarget of(URI target) {
		if (target.isOpaque() || target.getRawAuthority() != null) {
			throw invalid(target,
					(target.isOpaque() ? "it has no '///'"
							: "an authority ('" + target.getRawAuthority() + "') is not supported")
							+ ": the service is looked up in the application's etcd catalog");
		}
		if (target.getRawQuery() != null || target.getRawFragment() != null) {
			throw invalid(target, "a query or fragment is not supported");
		}
		String path = target.getPath();
		if (path == null || path.length() <= 1) {
			throw invalid(target, "it names no service");
		}
		return new EtcdTarget(path.substring(1));
	}

	/**
	 * The authority of the calls: the service, percent-encoded where an authority cannot
	 * hold its characters (the slashes of a gRPC naming target).
	 * @return the authority
	 */
	String authority() {
		StringBuilder authority = new StringBuilder();
		for (byte b : this.serviceId.getBytes(StandardCharsets.UTF_8)) {
			char c = (char) (b & 0xFF);
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
					|| UNRESERVED_OR_SUB_DELIMS.indexOf(c) >= 0) {
				authority.append(c);
			}
			else {
				authority.append('%').append(String.format("%02X", b & 0xFF));
			}
		}
		return authority.toString();
	}

	private static IllegalArgumentException invalid(URI target, String reason) {
		return new IllegalArgumentException("Invalid gRPC target '" + target + "': " + reason + "; write "
				+ EtcdNameResolverProvider.SCHEME + ":///{service}, e.g. etcd:///orders-grpc");
	}

}
