package io.github.etcdspring.config;

/**
 * A configuration document in etcd that cannot be parsed, or that exceeds
 * {@code etcd.config.limits}. Names the key and, when the parser knows it, the line;
 * never quotes the document, which may hold a password.
 *
 * @author etcd-spring-boot contributors
 */
public class MalformedConfigurationException extends RuntimeException {

	private final String key;

	private final int line;

	/**
	 * Create an exception.
	 * @param key the etcd key of the document
	 * @param line the 1-based line of the problem, or 0 when unknown
	 * @param problem what is wrong, without quoting the document
	 */
	public MalformedConfigurationException(String key, int line, String problem) {
		super("Malformed configuration in etcd key '" + key + "'" + ((line > 0) ? " at line " + line : "") + ": "
				+ problem);
		this.key = key;
		this.line = line;
	}

	public String getKey() {
		return this.key;
	}

	/**
	 * The line of the problem.
	 * @return the 1-based line, or 0 when unknown
	 */
	public int getLine() {
		return this.line;
	}

}
