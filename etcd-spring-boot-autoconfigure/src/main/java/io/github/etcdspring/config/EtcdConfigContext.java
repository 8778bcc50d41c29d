package io.github.etcdspring.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One place in etcd that holds configuration, such as {@code config/payments,dev}, and
 * how it is stored there. Each context becomes one property source.
 *
 * @param path the context's key path under etcd.namespace, without a trailing '/'
 * @param format how the configuration is stored
 * @param dataKey the key under the context that holds the document, for the document
 * formats
 * @author etcd-spring-boot contributors
 */
public record EtcdConfigContext(String path, EtcdConfigFormat format, String dataKey) {

	/**
	 * For {@link EtcdConfigFormat#FILES}, the extensions tried for a context named
	 * without one, from the lowest precedence to the highest, as Spring Boot ranks
	 * application.properties above application.yaml.
	 */
	private static final List<String> FILE_EXTENSIONS = List.of("json", "yml", "yaml", "properties");

	/**
	 * Whether the context is a key prefix whose every key is a property.
	 * @return {@code true} for {@link EtcdConfigFormat#KEY_VALUE}
	 */
	public boolean isKeyValue() {
		return this.format == EtcdConfigFormat.KEY_VALUE;
	}

	/**
	 * The prefix of the keys of a {@link #isKeyValue() key-value} context.
	 * @return the path followed by '/'
	 */
	public String keyPrefix() {
		return this.path + "/";
	}

	/**
	 * The keys that may hold this context's documents, from the lowest precedence to the
	 * highest.
	 * @return the keys, empty for a key-value context
	 */
	public List<String> documentKeys() {
		return switch (this.format) {
			case KEY_VALUE -> List.of();
			case PROPERTIES, YAML, JSON -> List.of(this.path + "/" + this.dataKey);
			case FILES -> {
				if (DocumentType.forKey(this.path) != null) {
					yield List.of(this.path);
				}
				List<String> keys = new ArrayList<>();
				FILE_EXTENSIONS.forEach((extension) -> keys.add(this.path + "." + extension));
				yield keys;
			}
		};
	}

	/**
	 * Whether a change of this key can change this context.
	 * @param key an etcd key
	 * @return whether the key belongs to the context
	 */
	public boolean contains(String key) {
		return isKeyValue() ? key.startsWith(keyPrefix()) : documentKeys().contains(key);
	}

	/**
	 * How a document of this context is parsed.
	 * @param key one of the {@link #documentKeys()}
	 * @return the document type
	 */
	DocumentType documentType(String key) {
		return (this.format == EtcdConfigFormat.FILES) ? DocumentType.forKey(key) : DocumentType.of(this.format);
	}

	/**
	 * The name of the context's property source.
	 * @return {@code etcd:} followed by the path
	 */
	public String propertySourceName() {
		return "etcd:" + this.path;
	}

	@Override
	public String toString() {
		return this.path + (isKeyValue() ? "/" : "");
	}

}
