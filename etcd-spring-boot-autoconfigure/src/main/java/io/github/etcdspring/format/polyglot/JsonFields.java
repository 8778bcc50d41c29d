package io.github.etcdspring.format.polyglot;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.etcdspring.format.MalformedInstanceException;
import org.jspecify.annotations.Nullable;

/**
 * The fields of one JSON object written by a Go registry, read leniently as Go's
 * {@code encoding/json} reads them (unknown fields ignored, {@code null} for a missing
 * map) but within bounds: nesting at most {@value #MAX_DEPTH} deep, strings at most
 * {@link ForeignValues#MAX_VALUE_BYTES} long, at most {@value #MAX_METADATA_ENTRIES}
 * metadata entries. The only part of the Go formats that needs Jackson.
 *
 * @author etcd-spring-boot contributors
 */
final class JsonFields {

	static final int MAX_DEPTH = 16;

	static final int MAX_METADATA_ENTRIES = 1024;

	private static final ObjectMapper MAPPER = JsonMapper
		.builder(JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder()
				.maxNestingDepth(MAX_DEPTH)
				.maxStringLength(ForeignValues.MAX_VALUE_BYTES)
				.maxNumberLength(64)
				.build())
			// errors quote a short excerpt of the value at most
			.errorReportConfiguration(
					ErrorReportConfiguration.builder().maxErrorTokenLength(32).maxRawContentLength(0).build())
			.build())
		.build();

	private final JsonNode object;

	private JsonFields(JsonNode object) {
		this.object = object;
	}

	/**
	 * Read a JSON object.
	 * @param json the JSON text
	 * @return its fields
	 * @throws MalformedInstanceException when it is not a JSON object
	 */
	static JsonFields read(byte[] json) {
		JsonNode node;
		try {
			node = MAPPER.readTree(json);
		}
		catch (JsonProcessingException ex) {
			throw new MalformedInstanceException(
					"not JSON (" + ex.getOriginalMessage()
							+ ((ex.getLocation() != null) ? " at column " + ex.getLocation().getColumnNr() : "") + ")",
					ex);
		}
		catch (IOException ex) {
			throw new MalformedInstanceException("unreadable JSON", ex);
		}
		if (node == null || node.isMissingNode()) {
			throw new MalformedInstanceException("the value holds no JSON");
		}
		if (!node.isObject()) {
			throw new MalformedInstanceException(
					"the value is a JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT) + ", not an object");
		}
		return new JsonFields(node);
	}

	/**
	 * A string field that must be there.
	 * @param name the field
	 * @return its value, maybe empty
	 */
	String requiredText(String name) {
		String text = text(name);
		if (text == null) {
			throw new MalformedInstanceException("'" + name + "' is missing");
		}
		return text;
	}

	/**
	 * A string field.
	 * @param name the field
	 * @return its value, {@code null} when missing or null
	 */
	@Nullable String text(String name) {
		JsonNode field = present(name);
		if (field == null) {
			return null;
		}
		if (!field.isTextual()) {
			throw wrongType(name, field, "a string");
		}
		return field.textValue();
	}

	/**
	 * A number field.
	 * @param name the field
	 * @return its value, {@code null} when missing or null
	 */
	@Nullable Double number(String name) {
		JsonNode field = present(name);
		if (field == null) {
			return null;
		}
		if (!field.isNumber()) {
			throw wrongType(name, field, "a number");
		}
		double value = field.doubleValue();
		if (!Double.isFinite(value)) {
			throw new MalformedInstanceException("'" + name + "' is out of range");
		}
		return value;
	}

	/**
	 * A whole number field.
	 * @param name the field
	 * @return its value, {@code null} when missing or null
	 */
	@Nullable Long integer(String name) {
		JsonNode field = present(name);
		if (field == null) {
			return null;
		}
		if (!field.isIntegralNumber() || !field.canConvertToLong()) {
			throw wrongType(name, field, "a whole number");
		}
		return field.longValue();
	}

	/**
	 * A boolean field.
	 * @param name the field
	 * @return its value, {@code null} when missing or null
	 */
	@Nullable Boolean bool(String name) {
		JsonNode field = present(name);
		if (field == null) {
			return null;
		}
		if (!field.isBoolean()) {
			throw wrongType(name, field, "a boolean");
		}
		return field.booleanValue();
	}

	/**
	 * A Go {@code map[string]string} field, or the scalars of an object of any values
	 * (objects and arrays in it are skipped).
	 * @param name the field
	 * @return its entries, empty when missing or null
	 */
	Map<String, String> map(String name) {
		JsonNode field = present(name);
		if (field != null && !field.isObject()) {
			throw wrongType(name, field, "an object");
		}
		return entries(name, field);
	}

	/**
	 * The scalars of a Go {@code any} field when it is an object.
	 * @param name the field
	 * @return its entries, empty when it is missing or not an object
	 */
	Map<String, String> anyMap(String name) {
		JsonNode field = present(name);
		return entries(name, (field != null && field.isObject()) ? field : null);
	}

	private static Map<String, String> entries(String name, @Nullable JsonNode field) {
		if (field == null) {
			return Map.of();
		}
		if (field.size() > MAX_METADATA_ENTRIES) {
			throw new MalformedInstanceException(
					"'" + name + "' has " + field.size() + " entries, more than " + MAX_METADATA_ENTRIES);
		}
		Map<String, String> map = new LinkedHashMap<>();
		field.fields().forEachRemaining((entry) -> {
			JsonNode value = entry.getValue();
			if (value.isValueNode() && !value.isNull()) {
				map.put(entry.getKey(), value.asText());
			}
		});
		return map;
	}

	/**
	 * A field that is an array.
	 * @param name the field
	 * @return its elements, {@code null} when missing or null
	 */
	@Nullable JsonNode array(String name) {
		JsonNode field = present(name);
		if (field != null && !field.isArray()) {
			throw wrongType(name, field, "an array");
		}
		return field;
	}

	private @Nullable JsonNode present(String name) {
		JsonNode field = this.object.get(name);
		return (field == null || field.isNull()) ? null : field;
	}

	private static MalformedInstanceException wrongType(String name, JsonNode field, String expected) {
		return new MalformedInstanceException("'" + name + "' is a JSON "
				+ field.getNodeType().name().toLowerCase(Locale.ROOT) + ", not " + expected);
	}

}
