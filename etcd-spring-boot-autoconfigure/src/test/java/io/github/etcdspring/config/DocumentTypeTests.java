package io.github.etcdspring.config;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.origin.OriginTrackedValue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Parsing configuration documents as Spring Boot parses the same files.
 */
class DocumentTypeTests {

	@Test
	void yamlIsFlattenedWithIndexedLists() {
		Map<String, Object> properties = parse(DocumentType.YAML, "a:\n  b: 1\n  c: [x, y]\n");
		assertThat(values(properties)).containsEntry("a.b", 1).containsEntry("a.c[0]", "x").containsEntry("a.c[1]", "y");
		assertThat(((OriginTrackedValue) properties.get("a.b")).getOrigin().toString()).contains("etcd key 'k'");
	}

	@Test
	void laterYamlDocumentsWin() {
		assertThat(values(parse(DocumentType.YAML, "a: 1\nb: 1\n---\nb: 2\n"))).containsEntry("a", 1)
			.containsEntry("b", 2);
	}

	@Test
	void jsonIsFlattenedLikeYaml() {
		assertThat(values(parse(DocumentType.JSON, "{\"a\": {\"b\": 1, \"c\": [\"x\", true], \"d\": null}}")))
			.containsEntry("a.b", 1)
			.containsEntry("a.c[0]", "x")
			.containsEntry("a.c[1]", true)
			.containsEntry("a.d", "");
	}

	@Test
	void jsonMustBeAnObject() {
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> parse(DocumentType.JSON, "[1, 2]"))
			.withMessageContaining("a JSON object is expected");
	}

	@Test
	void propertiesKeepTheirEscapes() {
		assertThat(values(parse(DocumentType.PROPERTIES, "a=caf\\u00e9\nb=line\\\n  continued\n")))
			.containsEntry("a", "café")
			.containsEntry("b", "linecontinued");
	}

	@Test
	void propertiesCommentsMayHoldBackslashes() {
		assertThat(values(parse(DocumentType.PROPERTIES, "# logs go to C:\\users\\app\n! also \\u here\na=1\n")))
			.containsEntry("a", "1");
	}

	@Test
	void emptyJsonListsAndObjectsClearAProperty() {
		assertThat(values(parse(DocumentType.JSON, "{\"tags\": [], \"map\": {}}"))).containsEntry("tags", "")
			.containsEntry("map", "");
	}

	@Test
	void profileActivationInADocumentIsRejected() {
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> parse(DocumentType.YAML, "a: 1\n---\nspring:\n  config:\n    activate:\n      on-profile: dev\na: 2\n"))
			.withMessageContaining("spring.config.activate.on-profile is not supported")
			.satisfies((ex) -> assertThat(ex.getLine()).isEqualTo(6));
	}

	@Test
	void errorsNameTheKeyAndLine() {
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> parse(DocumentType.YAML, "a: 1\nb:\n  - x\n  y: z\n"))
			.satisfies((ex) -> {
				assertThat(ex.getKey()).isEqualTo("k");
				assertThat(ex.getLine()).isEqualTo(4);
			});
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> parse(DocumentType.PROPERTIES, "a=1\n\\\\u0041=ok\nb=\\uXYZW\n"))
			.satisfies((ex) -> assertThat(ex.getLine()).isEqualTo(3));
	}

	@Test
	void theExtensionOfAKeyGivesItsType() {
		assertThat(DocumentType.forKey("config/app-dev.YML")).isEqualTo(DocumentType.YAML);
		assertThat(DocumentType.forKey("config/app.properties")).isEqualTo(DocumentType.PROPERTIES);
		assertThat(DocumentType.forKey("config/app.json")).isEqualTo(DocumentType.JSON);
		assertThat(DocumentType.forKey("config.d/app")).isNull();
		assertThat(DocumentType.forKey("config/app.txt")).isNull();
	}

	private static Map<String, Object> parse(DocumentType type, String document) {
		return type.parse("k", document.getBytes(StandardCharsets.UTF_8));
	}

	private static Map<String, Object> values(Map<String, Object> properties) {
		Map<String, Object> values = new java.util.LinkedHashMap<>();
		properties.forEach((name, value) -> values.put(name,
				(value instanceof OriginTrackedValue tracked) ? tracked.getValue() : value));
		return values;
	}

}
