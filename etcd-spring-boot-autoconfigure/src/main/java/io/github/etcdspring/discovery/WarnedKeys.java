package io.github.etcdspring.discovery;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The malformed keys already reported, with the revision reported, so that each bad value
 * is logged once. Bounded: a registry flooded with bad keys costs at most
 * {@code capacity} entries, the least recently reported going first (such a key is
 * reported again if it is seen again).
 *
 * @author etcd-spring-boot contributors
 */
final class WarnedKeys {

	static final int DEFAULT_CAPACITY = 1024;

	private final Map<String, Long> revisionsByKey;

	WarnedKeys(int capacity) {
		this.revisionsByKey = new LinkedHashMap<>(16, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
				return size() > capacity;
			}

		};
	}

	/**
	 * Remember a malformed value.
	 * @param key the key
	 * @param modRevision the revision of its value
	 * @return whether this value of the key was not reported yet
	 */
	boolean firstReport(String key, long modRevision) {
		Long reported = this.revisionsByKey.put(key, modRevision);
		return reported == null || reported != modRevision;
	}

	int size() {
		return this.revisionsByKey.size();
	}

}
