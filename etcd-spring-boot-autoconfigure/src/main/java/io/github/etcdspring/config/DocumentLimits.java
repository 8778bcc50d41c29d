package io.github.etcdspring.config;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * How much a configuration document read from etcd may ask of the parser: the validated
 * {@code etcd.config.limits.*}.
 *
 * @param maxDocumentSize the most bytes of a document
 * @param maxProperties the most properties of a document
 * @param maxDepth the deepest nesting of maps and lists
 * @param maxAliases the most aliases of YAML lists and maps
 * @param maxNameLength the longest property name
 * @author etcd-spring-boot contributors
 */
record DocumentLimits(int maxDocumentSize, int maxProperties, int maxDepth, int maxAliases, int maxNameLength) {

	private static final String PREFIX = EtcdConfigProperties.PREFIX + ".limits.";

	/**
	 * Validate the configured limits.
	 * @param limits the limits as bound
	 * @return the limits
	 * @throws InvalidConfigurationPropertyValueException naming the property of a limit
	 * that is not positive
	 */
	static DocumentLimits of(EtcdConfigProperties.Limits limits) {
		DataSize size = limits.getMaxDocumentSize();
		if (size == null || size.toBytes() < 1 || size.toBytes() > Integer.MAX_VALUE) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "max-document-size", size,
					"Must be between 1B and 2GB");
		}
		return new DocumentLimits((int) size.toBytes(), positive("max-properties", limits.getMaxProperties()),
				positive("max-depth", limits.getMaxDepth()), positive("max-aliases", limits.getMaxAliases()),
				positive("max-name-length", limits.getMaxNameLength()));
	}

	MalformedConfigurationException documentTooLarge(String key, int size) {
		return new MalformedConfigurationException(key, 0, "the document has " + size + " bytes, more than " + PREFIX
				+ "max-document-size (" + maxDocumentSize + ")");
	}

	MalformedConfigurationException tooManyProperties(String key, int line) {
		return new MalformedConfigurationException(key, line,
				"the document defines more properties than " + PREFIX + "max-properties (" + maxProperties + ")");
	}

	MalformedConfigurationException tooDeep(String key, int line) {
		return new MalformedConfigurationException(key, line,
				"maps and lists are nested deeper than " + PREFIX + "max-depth (" + maxDepth + ")");
	}

	MalformedConfigurationException tooManyAliases(String key, int line) {
		return new MalformedConfigurationException(key, line,
				"lists and maps are repeated by more aliases than " + PREFIX + "max-aliases (" + maxAliases + ")");
	}

	MalformedConfigurationException nameTooLong(String key, int line) {
		return new MalformedConfigurationException(key, line,
				"a property name is longer than " + PREFIX + "max-name-length (" + maxNameLength + ")");
	}

	private static int positive(String property, int value) {
		if (value < 1) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + property, value, "Must be 1 or more");
		}
		return value;
	}

}
