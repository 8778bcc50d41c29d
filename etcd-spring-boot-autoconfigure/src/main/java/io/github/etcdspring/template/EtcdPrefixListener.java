package io.github.etcdspring.template;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Receives what is under a prefix: a snapshot at a revision, then every change after it.
 * Called on the subscription's own thread, one call at a time.
 *
 * @author etcd-spring-boot contributors
 */
public interface EtcdPrefixListener {

	/**
	 * Everything under the prefix at a revision: first, and again whenever the changes in
	 * between cannot be delivered (the revision was compacted, or the cluster was
	 * restored or recreated).
	 * @param values the values by key, in key order
	 * @param revision the revision read
	 */
	void onSnapshot(Map<String, byte[]> values, long revision);

	/**
	 * A change after the latest snapshot.
	 * @param key the key
	 * @param value the new value, or {@code null} when the key was deleted
	 * @param revision the revision of the change
	 */
	void onChange(String key, byte @Nullable [] value, long revision);

}
