package io.github.etcdspring.format.polyglot;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.etcdspring.format.RegistryFormat;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Go registry formats configured with their {@code etcd.formats.<format>.prefix}, by
 * name. One bean holds the formats that need no Jackson, another the JSON ones when
 * Jackson is present.
 *
 * @author etcd-spring-boot contributors
 */
public final class PolyglotFormats {

	private final Map<String, RegistryFormat> formats;

	private PolyglotFormats(Map<String, RegistryFormat> formats) {
		this.formats = Map.copyOf(formats);
	}

	/**
	 * The given formats under their configured prefixes.
	 * @param properties the settings
	 * @param formats the formats
	 * @return them, by name
	 * @throws InvalidConfigurationPropertyValueException naming the property of an
	 * invalid prefix
	 */
	public static PolyglotFormats of(EtcdFormatsProperties properties, Collection<PolyglotFormat> formats) {
		Map<String, RegistryFormat> byName = new LinkedHashMap<>();
		for (PolyglotFormat format : formats) {
			String prefix = properties.get(format).getPrefix();
			try {
				byName.put(format.formatName(), format.create((prefix != null) ? prefix : ""));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(
						EtcdFormatsProperties.PREFIX + "." + format.formatName() + ".prefix", prefix, ex.getMessage());
			}
		}
		return new PolyglotFormats(byName);
	}

	/**
	 * A format by name.
	 * @param name the name, e.g. {@code kitex}
	 * @return the format, or {@code null} when it is not one of these
	 */
	public @Nullable RegistryFormat get(String name) {
		return this.formats.get(name);
	}

	/**
	 * The names of these formats.
	 * @return the names
	 */
	public Collection<String> names() {
		return this.formats.keySet();
	}

}
