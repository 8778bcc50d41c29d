package io.github.etcdspring.config;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.PropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.util.ClassUtils;

/**
 * The kinds of configuration document that etcd keys can hold, each parsed into flat
 * property names exactly as Spring Boot parses the same file on disk ({@code a.b[0]}),
 * with the key and line as origin. Unlike a local file, a document in etcd is untrusted
 * input: it is read as strict UTF-8 and parsed within {@code etcd.config.limits}.
 *
 * @author etcd-spring-boot contributors
 */
enum DocumentType {

	PROPERTIES("properties") {

		@Override
		Map<String, Object> read(String key, byte[] content, DocumentLimits limits) {
			String text = DocumentText.decode(key, content, limits);
			return load(new PropertiesPropertySourceLoader(), key, PropertiesDocuments.prepare(key, text, limits));
		}

	},

	YAML("yaml", "yml") {

		@Override
		Map<String, Object> read(String key, byte[] content, DocumentLimits limits) {
			String text = DocumentText.decode(key, content, limits);
			try {
				YamlDocumentCheck.check(key, text, limits);
				return load(new YamlPropertySourceLoader(), key, content);
			}
			catch (MalformedConfigurationException ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				MarkedYAMLException marked = findCause(ex, MarkedYAMLException.class);
				if (marked == null) {
					throw unparsable(key, ex);
				}
				// the problem, not the message, which quotes the line
				Mark mark = (marked.getProblemMark() != null) ? marked.getProblemMark() : marked.getContextMark();
				String problem = (marked.getProblem() != null) ? marked.getProblem() : "not valid YAML";
				throw new MalformedConfigurationException(key, (mark != null) ? mark.getLine() + 1 : 0, problem);
			}
		}

	},

	JSON("json") {

		@Override
		void checkParserPresent(String key) {
			if (!ClassUtils.isPresent("com.fasterxml.jackson.core.JsonParser", DocumentType.class.getClassLoader())) {
				throw new IllegalStateException("Configuration in JSON (etcd key '" + key
						+ "') needs com.fasterxml.jackson.core:jackson-core on the class path");
			}
		}

		@Override
		Map<String, Object> read(String key, byte[] content, DocumentLimits limits) {
			return JsonDocuments.flatten(key, DocumentText.decode(key, content, limits), limits);
		}

	};

	private static final String ACTIVATION_PREFIX = "spring.config.activate.";

	private final List<String> extensions;

	DocumentType(String... extensions) {
		this.extensions = List.of(extensions);
	}

	/**
	 * Parse a document into properties. Whatever goes wrong, an {@link Error} such as a
	 * {@link StackOverflowError} included, is reported as a malformed document.
	 * @param key the etcd key holding it, for origins and errors
	 * @param content the document
	 * @param limits what the document may ask of the parser
	 * @return property names to values, in document order; values are
	 * {@link OriginTrackedValue}s
	 * @throws MalformedConfigurationException when the document cannot be parsed or
	 * exceeds a limit
	 */
	final Map<String, Object> parse(String key, byte[] content, DocumentLimits limits) {
		checkParserPresent(key);
		try {
			return read(key, content, limits);
		}
		catch (MalformedConfigurationException ex) {
			throw ex;
		}
		catch (RuntimeException | StackOverflowError | OutOfMemoryError ex) {
			throw unparsable(key, ex);
		}
	}

	abstract Map<String, Object> read(String key, byte[] content, DocumentLimits limits);

	void checkParserPresent(String key) {
	}

	List<String> extensions() {
		return this.extensions;
	}

	/**
	 * The document type of a file-like key.
	 * @param key a key such as config/payments-dev.yaml
	 * @return the type, or {@code null} when the extension is not one of ours
	 */
	static @Nullable DocumentType forKey(String key) {
		int dot = key.lastIndexOf('.');
		if (dot < 0 || dot < key.lastIndexOf('/')) {
			return null;
		}
		String extension = key.substring(dot + 1).toLowerCase(Locale.ROOT);
		for (DocumentType type : values()) {
			if (type.extensions.contains(extension)) {
				return type;
			}
		}
		return null;
	}

	static DocumentType of(EtcdConfigFormat format) {
		return switch (format) {
			case PROPERTIES -> PROPERTIES;
			case YAML -> YAML;
			case JSON -> JSON;
			case KEY_VALUE, FILES -> throw new IllegalArgumentException(format + " is not a document format");
		};
	}

	/**
	 * Spring Boot's own loaders, so that a document means in etcd what it means in a
	 * file; several YAML documents in one key are merged, later ones winning, as
	 * profile-less documents of one file are.
	 */
	private static Map<String, Object> load(PropertySourceLoader loader, String key, byte[] content) {
		try {
			ByteArrayResource resource = new ByteArrayResource(content, "etcd key '" + key + "'");
			List<PropertySource<?>> documents = loader.load(key, resource);
			Map<String, Object> properties = new LinkedHashMap<>();
			for (PropertySource<?> document : documents) {
				EnumerablePropertySource<?> enumerable = (EnumerablePropertySource<?>) document;
				for (String name : enumerable.getPropertyNames()) {
					Object value = ((Map<?, ?>) enumerable.getSource()).get(name);
					rejectActivation(key, name, OriginLookup.getOrigin(document, name));
					properties.put(name, value);
				}
			}
			return properties;
		}
		catch (IOException ex) {
			throw unparsable(key, ex);
		}
	}

	/**
	 * Documents in etcd are selected by context, not by Spring Boot's activation
	 * properties, which would otherwise switch off the whole property source.
	 */
	private static void rejectActivation(String key, String name, @Nullable Origin origin) {
		if (name.startsWith(ACTIVATION_PREFIX)) {
			int line = (origin instanceof TextResourceOrigin text && text.getLocation() != null)
					? text.getLocation().getLine() + 1 : 0;
			throw new MalformedConfigurationException(key, line, name + " is not supported in etcd: put the "
					+ "properties of a profile in the context {name},{profile} (FILES: {name}-{profile}.yaml)");
		}
	}

	private static <T extends Throwable> @Nullable T findCause(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

	/**
	 * A failure of the parser, named by its type only: parsers quote the document, which
	 * may hold a password.
	 */
	private static MalformedConfigurationException unparsable(String key, Throwable failure) {
		return new MalformedConfigurationException(key, 0,
				"the document could not be parsed (" + failure.getClass().getName() + ")");
	}

}
