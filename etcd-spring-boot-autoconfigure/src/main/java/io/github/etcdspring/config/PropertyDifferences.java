package io.github.etcdspring.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The properties whose values differ between two reads of the etcd configuration
 * contexts.
 *
 * @author etcd-spring-boot contributors
 */
final class PropertyDifferences {

	private PropertyDifferences() {
	}

	/**
	 * The names of the properties added, removed or changed.
	 * @param contexts the contexts, lowest precedence first
	 * @param before the sources of one read
	 * @param after the sources of another
	 * @return the names, sorted
	 */
	static Set<String> between(List<EtcdConfigContext> contexts, List<EtcdPropertySource> before,
			List<EtcdPropertySource> after) {
		return differences(effectiveProperties(contexts, before), effectiveProperties(contexts, after));
	}

	/**
	 * What a list of sources defines, the later ones winning; for the watcher's own
	 * reads, in the precedence order of the contexts in force.
	 */
	private static Map<String, Object> effectiveProperties(List<EtcdConfigContext> contexts,
			List<EtcdPropertySource> sources) {
		Map<String, Object> properties = new HashMap<>();
		for (EtcdConfigContext context : contexts) {
			sources.stream().filter((source) -> source.getContext().equals(context)).forEach((source) -> {
				for (String name : source.getPropertyNames()) {
					properties.put(name, source.getProperty(name));
				}
			});
		}
		return properties;
	}

	private static Set<String> differences(Map<String, Object> before, Map<String, Object> after) {
		Set<String> changed = new TreeSet<>();
		before.forEach((name, value) -> {
			if (!Objects.equals(String.valueOf(value), String.valueOf(after.get(name))) || !after.containsKey(name)) {
				changed.add(name);
			}
		});
		after.keySet().stream().filter((name) -> !before.containsKey(name)).forEach(changed::add);
		return changed;
	}

}
