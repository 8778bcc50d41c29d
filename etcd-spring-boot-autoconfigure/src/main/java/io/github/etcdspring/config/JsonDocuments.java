package io.github.etcdspring.config;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.origin.OriginTrackedValue;

/**
 * Flattens a JSON object into properties as Spring Boot flattens YAML ({@code a.b[0]}),
 * token by token, within {@code etcd.config.limits.*}. Errors give the line but never the
 * document's content, which may be a password. Kept in its own class so that Jackson is
 * loaded only when JSON is used.
 *
 * @author etcd-spring-boot contributors
 */
final class JsonDocuments {

	private static final JsonFactory factory = new JsonFactory();

	private JsonDocuments() {
	}

	static Map<String, Object> flatten(String key, String text, DocumentLimits limits) {
		try (JsonParser parser = factory.createParser(text)) {
			return flatten(key, parser, limits);
		}
		catch (JsonEOFException ex) {
			throw new MalformedConfigurationException(key, lineOf(ex.getLocation()),
					"the document ends before its JSON does");
		}
		catch (JsonProcessingException ex) {
			JsonLocation location = ex.getLocation();
			throw new MalformedConfigurationException(key, lineOf(location),
					"not valid JSON" + ((location != null) ? " at column " + location.getColumnNr() : ""));
		}
		catch (IOException ex) {
			throw new MalformedConfigurationException(key, 0, "not valid JSON");
		}
	}

	private static Map<String, Object> flatten(String key, JsonParser parser, DocumentLimits limits)
			throws IOException {
		Map<String, Object> properties = new LinkedHashMap<>();
		JsonToken token = parser.nextToken();
		if (token == null) {
			return properties;
		}
		if (token != JsonToken.START_OBJECT) {
			throw new MalformedConfigurationException(key, line(parser),
					"a JSON object is expected at the top level, not " + describe(token));
		}
		EtcdKeyOrigin origin = new EtcdKeyOrigin(key);
		Deque<Container> open = new ArrayDeque<>();
		open.push(new Container("", true));
		while (!open.isEmpty()) {
			token = parser.nextToken();
			Container container = open.peek();
			if (token == null) {
				throw new MalformedConfigurationException(key, line(parser), "the document ends before its JSON does");
			}
			if (token == JsonToken.FIELD_NAME) {
				container.field(key, parser.currentName(), line(parser));
			}
			else if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
				if (open.size() >= limits.maxDepth()) {
					throw limits.tooDeep(key, line(parser));
				}
				open.push(new Container(container.nextName(), token == JsonToken.START_OBJECT));
			}
			else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
				open.pop();
				if (container.empty && !open.isEmpty()) {
					// as in YAML: an empty list or map clears what a lower source set
					put(key, container.name, "", properties, origin, limits, line(parser));
				}
			}
			else {
				put(key, container.nextName(), value(parser, token), properties, origin, limits, line(parser));
			}
		}
		return properties;
	}

	private static void put(String key, String name, Object value, Map<String, Object> properties, EtcdKeyOrigin origin,
			DocumentLimits limits, int line) {
		if (name.length() > limits.maxNameLength()) {
			throw limits.nameTooLong(key, line);
		}
		properties.put(name, OriginTrackedValue.of(value, origin));
		if (properties.size() > limits.maxProperties()) {
			throw limits.tooManyProperties(key, line);
		}
	}

	private static Object value(JsonParser parser, JsonToken token) throws IOException {
		return switch (token) {
			case VALUE_NULL -> "";
			case VALUE_TRUE, VALUE_FALSE -> parser.getBooleanValue();
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
			default -> parser.getText();
		};
	}

	private static String describe(JsonToken token) {
		return switch (token) {
			case START_ARRAY -> "array";
			case VALUE_STRING -> "string";
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
			case VALUE_TRUE, VALUE_FALSE -> "boolean";
			case VALUE_NULL -> "null";
			default -> token.name().toLowerCase(Locale.ROOT);
		};
	}

	private static int line(JsonParser parser) {
		return lineOf(parser.currentTokenLocation());
	}

	private static int lineOf(@Nullable JsonLocation location) {
		return (location != null) ? Math.max(location.getLineNr(), 0) : 0;
	}

	/**
	 * An object or array being read: the property name of its next value.
	 */
	private static final class Container {

		private final String name;

		private final boolean object;

		private final Set<String> fields = new HashSet<>();

		private @Nullable String field;

		private int index;

		private boolean empty = true;

		Container(String name, boolean object) {
			this.name = name;
			this.object = object;
		}

		void field(String key, String field, int line) {
			if (!this.fields.add(field)) {
				throw new MalformedConfigurationException(key, line, "duplicate key '" + nameOf(field) + "'");
			}
			this.field = field;
		}

		String nextName() {
			this.empty = false;
			return this.object ? nameOf(this.field) : this.name + "[" + this.index++ + "]";
		}

		private String nameOf(String field) {
			return this.name.isEmpty() ? field : this.name + "." + field;
		}

	}

}
