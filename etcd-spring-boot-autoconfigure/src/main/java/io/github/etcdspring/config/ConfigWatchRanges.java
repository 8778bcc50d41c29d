package io.github.etcdspring.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.etcd.jetcd.ByteSequence;
import io.github.etcdspring.watch.KeyRange;

/**
 * What the config watcher watches for a list of contexts.
 *
 * @author etcd-spring-boot contributors
 */
final class ConfigWatchRanges {

	private ConfigWatchRanges() {
	}

	/**
	 * One watch of the directory all contexts share; one watch per context when they
	 * share none, or when the user may read the contexts but not the directory. jetcd
	 * carries all of them on one stream.
	 */
	static List<KeyRange> of(List<EtcdConfigContext> contexts, boolean eachContext) {
		String shared = commonPrefix(contexts);
		String directory = shared.substring(0, shared.lastIndexOf('/') + 1);
		if (!eachContext && !directory.isEmpty()) {
			return List.of(KeyRange.prefix(bytes(directory)));
		}
		List<KeyRange> ranges = new ArrayList<>();
		for (EtcdConfigContext context : contexts) {
			if (context.isKeyValue()) {
				ranges.add(KeyRange.prefix(bytes(context.keyPrefix())));
			}
			else {
				context.documentKeys().forEach((key) -> ranges.add(new KeyRange(bytes(key), false)));
			}
		}
		return ranges;
	}

	/**
	 * One watch covers every context: the longest prefix their keys share.
	 */
	static String commonPrefix(List<EtcdConfigContext> contexts) {
		String prefix = null;
		for (EtcdConfigContext context : contexts) {
			List<String> keys = context.isKeyValue() ? List.of(context.keyPrefix()) : context.documentKeys();
			for (String key : keys) {
				prefix = (prefix == null) ? key : commonPrefix(prefix, key);
			}
		}
		return (prefix != null) ? prefix : "";
	}

	private static String commonPrefix(String first, String second) {
		int length = 0;
		while (length < first.length() && length < second.length() && first.charAt(length) == second.charAt(length)) {
			length++;
		}
		return first.substring(0, length);
	}

	private static ByteSequence bytes(String value) {
		return ByteSequence.from(value, StandardCharsets.UTF_8);
	}

}
