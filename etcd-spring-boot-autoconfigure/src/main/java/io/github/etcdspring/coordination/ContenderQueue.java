package io.github.etcdspring.coordination;

import java.nio.charset.StandardCharsets;

import io.etcd.jetcd.ByteSequence;

/**
 * The keys of the contenders for one lock or election, laid out as etcd's
 * {@code concurrency} package lays them out: under {@code {root}/{name}/}, one key per
 * contender, named after its session lease in lowercase hexadecimal without padding. The
 * key created first holds the lock or leads. The client's {@code etcd.namespace} comes in
 * front of every key.
 *
 * @param root the prefix of its kind, e.g. {@code locks}, without a trailing '/'; empty
 * for none
 * @param name the lock or election name
 * @author etcd-spring-boot contributors
 */
public record ContenderQueue(String root, String name) {

	/** Longer names are refused: a name is part of every key of its queue. */
	static final int MAX_NAME_LENGTH = 1024;

	/**
	 * A queue, its name checked.
	 * @throws IllegalArgumentException when the name is empty, too long, or holds a '/'
	 * or a control character: any of these would let one queue's prefix cover another's
	 * keys, or make keys nobody can type
	 */
	public ContenderQueue {
		root = stripSlashes(root);
		check(name);
	}

	/**
	 * The prefix every contender's key starts with.
	 * @return {@code {root}/{name}/}
	 */
	public String prefix() {
		return (this.root.isEmpty() ? "" : this.root + "/") + this.name + "/";
	}

	/**
	 * The key of the contender of a session.
	 * @param leaseId the session lease
	 * @return the key, as etcd's Go client names it
	 */
	public String key(long leaseId) {
		return prefix() + Long.toHexString(leaseId);
	}

	ByteSequence prefixBytes() {
		return ByteSequence.from(prefix(), StandardCharsets.UTF_8);
	}

	ByteSequence keyBytes(long leaseId) {
		return ByteSequence.from(key(leaseId), StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return "'" + this.name + "' (etcd keys under '" + prefix() + "')";
	}

	private static void check(String name) {
		if (name.isEmpty()) {
			throw new IllegalArgumentException("A lock or election name must not be empty");
		}
		if (name.length() > MAX_NAME_LENGTH) {
			throw new IllegalArgumentException("The lock or election name '" + name.substring(0, 64)
					+ "...' is longer than " + MAX_NAME_LENGTH + " characters");
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c == '/') {
				throw new IllegalArgumentException("The lock or election name '" + name
						+ "' contains a '/': its keys would fall under the prefix of the name before it");
			}
			if (Character.isISOControl(c)) {
				throw new IllegalArgumentException("The lock or election name '" + name.replaceAll("\\p{Cntrl}", "?")
						+ "' contains a control character");
			}
		}
	}

	private static String stripSlashes(String root) {
		int end = root.length();
		while (end > 0 && root.charAt(end - 1) == '/') {
			end--;
		}
		return root.substring(0, end);
	}

}
