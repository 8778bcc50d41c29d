package io.github.etcdspring.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The kinds of configuration document that etcd keys can hold, each parsed into flat property names exactly as
 * Spring Boot parses the same file on disk ({@code a.b[0]}), with the key and line as origin.
 *
 * @author etcd-spring-boot contributors
 */
enum DocumentType {

	PROPERTIES("properties") {

		@Override
		Map<String, Object> parse(String key, byte[] content) {
			String text = new String(content, StandardCharsets.UTF_8);
			checkUnicodeEscapes(key, text);
			return load(new PropertiesPropertySourceLoader(), key, content);
		}

	},

	YAML("yaml", "yml") {

		@Override
		Map<String, Object> parse(String key, byte[] content) {
			try {
				return load(new YamlPropertySourceLoader(), key, content);
			}
			catch (MalformedConfigurationException ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				MarkedYAMLException marked = findCause(ex, MarkedYAMLException.class);
				if (marked == null) {
					throw new MalformedConfigurationException(key, 0, messageOf(ex), ex);
				}
				Mark mark = (marked.getProblemMark() != null) ? marked.getProblemMark() : marked.getContextMark();
				String problem = (marked.getProblem() != null) ? marked.getProblem() : marked.getMessage();
				throw new MalformedConfigurationException(key, (mark != null) ? mark.getLine() + 1 : 0, problem, ex);
			}
		}

	},

	JSON("json") {

		@Override
		Map<String, Object> parse(String key, byte[] content) {
			if (!ClassUtils.isPresent("com.fasterxml.jackson.databind.ObjectMapper", DocumentType.class.getClassLoader())) {
				throw new IllegalStateException("Configuration in JSON (etcd key '" + key
						+ "') needs com.fasterxml.jackson.core:jackson-databind on the class path");
			}
			return JsonFlattener.flatten(key, content);
		}

	};

	private static final String ACTIVATION_PREFIX = "spring.config.activate.";

	private final List<String> extensions;

	DocumentType(String... extensions) {
		this.extensions = List.of(extensions);
	}

	/**
	 * Parse a document into properties.
	 * @param key the etcd key holding it, for origins and errors
	 * @param content the document
	 * @return property names to values, in document order; values are {@link OriginTrackedValue}s
	 * @throws MalformedConfigurationException when the document cannot be parsed
	 */
	abstract Map<String, Object> parse(String key, byte[] content);

	List<String> extensions() {
		return this.extensions;
	}

	/**
	 * The document type of a file-like key.
	 * @param key a key such as config/payments-dev.yaml
	 * @return the type, or {@code null} when the extension is not one of ours
	 */
	static DocumentType forKey(String key) {
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
	 * Spring Boot's own loaders, so that a document means in etcd what it means in a file; several YAML documents
	 * in one key are merged, later ones winning, as profile-less documents of one file are.
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
			throw new MalformedConfigurationException(key, 0, messageOf(ex), ex);
		}
	}

	/**
	 * Documents in etcd are selected by context, not by Spring Boot's activation properties, which would otherwise
	 * switch off the whole property source.
	 */
	private static void rejectActivation(String key, String name, Origin origin) {
		if (name.startsWith(ACTIVATION_PREFIX)) {
			int line = (origin instanceof TextResourceOrigin text && text.getLocation() != null)
					? text.getLocation().getLine() + 1 : 0;
			throw new MalformedConfigurationException(key, line, name + " is not supported in etcd: put the "
					+ "properties of a profile in the context {name},{profile} (FILES: {name}-{profile}.yaml)", null);
		}
	}

	/**
	 * Spring's properties loader rejects a bad {@code \\u} escape without saying where; find the line ourselves.
	 */
	private static void checkUnicodeEscapes(String key, String text) {
		String[] lines = text.split("\r?\n|\r", -1);
		boolean continued = false;
		for (int number = 1; number <= lines.length; number++) {
			String line = lines[number - 1];
			String content = line.stripLeading();
			boolean comment = !continued && (content.startsWith("#") || content.startsWith("!"));
			if (!comment) {
				checkUnicodeEscapes(key, line, number);
			}
			continued = !comment && endsWithContinuation(line);
		}
	}

	private static void checkUnicodeEscapes(String key, String line, int number) {
		for (int i = 0; i < line.length() - 1; i++) {
			if (line.charAt(i) == '\\') {
				if (line.charAt(i + 1) == 'u' && !isHex(line, i + 2, 4)) {
					throw new MalformedConfigurationException(key, number,
							"malformed \\uxxxx escape (four hexadecimal digits expected)", null);
				}
				i++;
			}
		}
	}

	private static boolean endsWithContinuation(String line) {
		int backslashes = 0;
		for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
			backslashes++;
		}
		return backslashes % 2 == 1;
	}

	private static boolean isHex(String text, int start, int count) {
		if (start + count > text.length()) {
			return false;
		}
		for (int i = start; i < start + count; i++) {
			if (Character.digit(text.charAt(i), 16) < 0) {
				return false;
			}
		}
		return true;
	}

	private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

	private static String messageOf(Throwable failure) {
		return (failure.getMessage() != null) ? failure.getMessage().lines().findFirst().orElse("") : failure.toString();
	}

	/**
	 * Kept in its own class so that Jackson is loaded only when JSON is used.
	 */
	private static final class JsonFlattener {

		private static final ObjectMapper objectMapper = new ObjectMapper();

		static Map<String, Object> flatten(String key, byte[] content) {
			JsonNode root;
			try {
				root = objectMapper.readTree(content);
			}
			catch (JsonProcessingException ex) {
				int line = (ex.getLocation() != null) ? ex.getLocation().getLineNr() : 0;
				throw new MalformedConfigurationException(key, Math.max(line, 0), ex.getOriginalMessage(), ex);
			}
			catch (IOException ex) {
				throw new MalformedConfigurationException(key, 0, messageOf(ex), ex);
			}
			if (root == null || root.isMissingNode()) {
				return new LinkedHashMap<>();
			}
			if (!root.isObject()) {
				throw new MalformedConfigurationException(key, 1,
						"a JSON object is expected at the top level, not " + root.getNodeType().name().toLowerCase(Locale.ROOT),
						null);
			}
			Map<String, Object> properties = new LinkedHashMap<>();
			flatten("", root, properties, new EtcdKeyOrigin(key));
			return properties;
		}

		private static void flatten(String name, JsonNode node, Map<String, Object> properties, EtcdKeyOrigin origin) {
			if (node.isContainerNode() && node.isEmpty() && !name.isEmpty()) {
				// as in YAML: an empty list or map clears what a lower source set
				properties.put(name, OriginTrackedValue.of("", origin));
			}
			else if (node.isObject()) {
				Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
				while (fields.hasNext()) {
					Map.Entry<String, JsonNode> field = fields.next();
					flatten(name.isEmpty() ? field.getKey() : name + "." + field.getKey(), field.getValue(), properties,
							origin);
				}
			}
			else if (node.isArray()) {
				for (int i = 0; i < node.size(); i++) {
					flatten(name + "[" + i + "]", node.get(i), properties, origin);
				}
			}
			else {
				Object value = node.isNull() ? "" : node.isNumber() ? node.numberValue()
						: node.isBoolean() ? node.booleanValue() : node.asText();
				properties.put(name, OriginTrackedValue.of(value, origin));
			}
		}

	}

}
