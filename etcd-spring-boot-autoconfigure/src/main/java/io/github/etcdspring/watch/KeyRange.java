package io.github.etcdspring.watch;

import io.etcd.jetcd.ByteSequence;

/**
 * What a {@link PrefixWatch} follows: a key, or every key under a prefix.
 *
 * @param key the key or prefix
 * @param prefix whether every key under it
 * @author etcd-spring-boot contributors
 */
public record KeyRange(ByteSequence key, boolean prefix) {

	/**
	 * Every key under a prefix.
	 * @param prefix the prefix
	 * @return the range
	 */
	public static KeyRange prefix(ByteSequence prefix) {
		return new KeyRange(prefix, true);
	}

}
