package io.github.etcdspring.discovery;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.github.etcdspring.format.RegistryFormat;
import io.github.etcdspring.format.RegistryKeyLayout;
import io.github.etcdspring.format.polyglot.PolyglotFormat;
import io.github.etcdspring.format.polyglot.PolyglotFormats;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Resolves {@code etcd.discovery.formats} into the {@link CatalogFormats} the catalog
 * reads: {@code native} is the starter's own format, every other name a Go registry
 * format under its {@code etcd.formats.<format>.prefix}.
 *
 * @author etcd-spring-boot contributors
 */
final class DiscoveryFormats {

	static final String PROPERTY = EtcdDiscoveryProperties.PREFIX + ".formats";

	private DiscoveryFormats() {
	}

	/**
	 * The formats to read.
	 * @param names the configured names
	 * @param nativeFormat the starter's own format
	 * @param polyglot the Go formats available
	 * @return the formats, with the layouts of the formats not read
	 * @throws InvalidConfigurationPropertyValueException naming the property when a name
	 * is unknown, unavailable or missing
	 */
	static CatalogFormats of(List<String> names, RegistryFormat nativeFormat, List<PolyglotFormats> polyglot) {
		Map<String, RegistryFormat> known = new LinkedHashMap<>();
		known.put(CatalogFormats.NATIVE, nativeFormat);
		polyglot.forEach((formats) -> formats.names().forEach((name) -> known.put(name, formats.get(name))));
		Set<String> requested = new LinkedHashSet<>();
		names.forEach((name) -> requested.add(name.trim()));
		if (requested.isEmpty() || requested.contains("")) {
			throw invalid(names, "Name at least one format, e.g. native");
		}
		Map<String, RegistryFormat> read = new LinkedHashMap<>();
		for (String name : requested) {
			RegistryFormat format = known.get(name);
			if (format == null) {
				throw invalid(names, reasonUnavailable(name, known.keySet()));
			}
			read.put(name, format);
		}
		List<RegistryKeyLayout> others = known.entrySet()
			.stream()
			.filter((entry) -> !read.containsKey(entry.getKey()))
			.map((entry) -> entry.getValue().layout())
			.toList();
		return new CatalogFormats(read, others);
	}

	private static String reasonUnavailable(String name, Set<String> known) {
		boolean builtIn = Arrays.stream(PolyglotFormat.values()).anyMatch((format) -> format.formatName().equals(name));
		if (builtIn) {
			return "Format '" + name + "' reads JSON and needs Jackson (com.fasterxml.jackson.core:jackson-databind)";
		}
		Set<String> all = new TreeSet<>(known);
		Arrays.stream(PolyglotFormat.values()).forEach((format) -> all.add(format.formatName()));
		return "Unknown format '" + name + "'; the formats are " + String.join(", ", all);
	}

	private static InvalidConfigurationPropertyValueException invalid(List<String> names, String reason) {
		return new InvalidConfigurationPropertyValueException(PROPERTY, String.join(",", names), reason);
	}

}
