package io.github.etcdspring.watch;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.OptionsUtil;

/**
 * What a {@link PrefixWatch} follows: a key, or every key under a prefix. The empty
 * prefix is the whole keyspace.
 *
 * @param key the key or prefix
 * @param prefix whether every key under it
 * @author etcd-spring-boot contributors
 */
public record KeyRange(ByteSequence key, boolean prefix) {

	private static final ByteSequence ZERO = ByteSequence.from(new byte[] { 0 });

	/**
	 * Every key under a prefix.
	 * @param prefix the prefix
	 * @return the range
	 */
	public static KeyRange prefix(ByteSequence prefix) {
		return new KeyRange(prefix, true);
	}

	/**
	 * The first key of the range, as etcd reads and watches it: the whole keyspace starts
	 * at {@code \0}, as etcd refuses an empty key.
	 * @return the first key
	 */
	public ByteSequence start() {
		return this.key.isEmpty() ? ZERO : this.key;
	}

	/**
	 * The end of the range, excluded, as etcd reads and watches it: {@code \0} for "every
	 * key from the start on", the end of the whole keyspace.
	 * @return the range end
	 */
	public ByteSequence end() {
		return this.prefix ? OptionsUtil.prefixEndOf(this.key) : this.key.concat(ZERO);
	}

}
