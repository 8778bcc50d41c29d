package io.github.etcdspring.format.polyglot;

import io.github.etcdspring.format.MalformedInstanceException;

/**
 * A {@code host:port} address as the Go registries write it: {@code 10.0.0.5:8080},
 * {@code [::1]:8080}, or an IPv6 host without brackets ({@code ::1:8080}, as Kitex's keys
 * and {@code fmt.Sprintf("%s:%d")} write it), the port being after the last colon.
 *
 * @param host the host, without brackets
 * @param port the port, 1 to 65535
 * @author etcd-spring-boot contributors
 */
record HostPort(String host, int port) {

	/**
	 * Read an address.
	 * @param address the address
	 * @param what what the address is, for the error
	 * @return the host and port
	 * @throws MalformedInstanceException when it is not {@code host:port}
	 */
	static HostPort parse(String address, String what) {
		int colon = address.lastIndexOf(':');
		if (colon <= 0 || colon == address.length() - 1) {
			throw new MalformedInstanceException(what + " " + Excerpt.of(address) + " is not host:port");
		}
		String host = address.substring(0, colon);
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		if (host.isEmpty() || host.indexOf('[') >= 0 || host.indexOf(']') >= 0 || host.indexOf('/') >= 0
				|| host.chars().anyMatch((c) -> c <= ' ')) {
			throw new MalformedInstanceException(what + " " + Excerpt.of(address) + " has no valid host");
		}
		return new HostPort(host, port(address.substring(colon + 1), what));
	}

	/**
	 * Read the address of a URL whose scheme is removed: what precedes the first '/', '?'
	 * or '#'.
	 * @param rest the URL after {@code scheme://}
	 * @param what what the URL is, for the error
	 * @return the host and port
	 * @throws MalformedInstanceException when it is not {@code host:port}
	 */
	static HostPort parseAuthority(String rest, String what) {
		for (int i = 0; i < rest.length(); i++) {
			if ("/?#".indexOf(rest.charAt(i)) >= 0) {
				return parse(rest.substring(0, i), what);
			}
		}
		return parse(rest, what);
	}

	/**
	 * Read a port.
	 * @param text the port, in decimal
	 * @param what what holds the port, for the error
	 * @return the port
	 * @throws MalformedInstanceException when it is not a port
	 */
	static int port(String text, String what) {
		if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			throw new MalformedInstanceException(what + " has no valid port: " + Excerpt.of(text));
		}
		int port = Integer.parseInt(text);
		if (port < 1 || port > 65535) {
			throw new MalformedInstanceException(what + " port must be between 1 and 65535, was " + port);
		}
		return port;
	}

	/**
	 * As Go's {@code net.JoinHostPort} writes it: an IPv6 host in brackets.
	 * @return the address
	 */
	String joined() {
		return (this.host.indexOf(':') >= 0) ? "[" + this.host + "]:" + this.port : bare();
	}

	/**
	 * As {@code fmt.Sprintf("%s:%d")} writes it: never with brackets.
	 * @return the address
	 */
	String bare() {
		return this.host + ":" + this.port;
	}

}
