package io.github.etcdspring.config;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Parsing configuration documents as Spring Boot parses the same files.
 */
class DocumentTypeTests {

	@Test
	void yamlIsFlattenedWithIndexedLists() {
		Map<String, Object> properties = parse(DocumentType.YAML, "a:\n  b: 1\n  c: [x, y]\n");
		assertThat(values(properties)).containsEntry("a.b", 1)
			.containsEntry("a.c[0]", "x")
			.containsEntry("a.c[1]", "y");
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
			.isThrownBy(() -> parse(DocumentType.YAML,
					"a: 1\n---\nspring:\n  config:\n    activate:\n      on-profile: dev\na: 2\n"))
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

	@Test
	void propertiesAreReadAsUtf8() {
		assertThat(
				values(parse(DocumentType.PROPERTIES, "a=caf\u00e9 \ud83d\ude00\nb=\\\u00e9\\\\\u00e9\nc\u00e9=1\n")))
			.containsEntry("a", "caf\u00e9 \ud83d\ude00")
			.containsEntry("b", "\u00e9\\\u00e9")
			.containsEntry("c\u00e9", "1");
	}

	@Test
	void malformedUtf8IsReportedWithoutTheContent() {
		byte[] latin1 = "a=1\npassword=s\u00e9cret\n".getBytes(StandardCharsets.ISO_8859_1);
		for (DocumentType type : DocumentType.values()) {
			assertThatExceptionOfType(MalformedConfigurationException.class)
				.isThrownBy(() -> type.parse("k", latin1, limits(new EtcdConfigProperties.Limits())))
				.withMessageContaining("etcd key 'k' at line 2")
				.withMessageContaining("not valid UTF-8")
				.withMessageNotContaining("cret");
		}
	}

	@Test
	void parseErrorsDoNotQuoteTheDocument() {
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> parse(DocumentType.JSON, "{\n  \"password\": hunter2\n}"))
			.withMessageContaining("at line 2")
			.withMessageNotContaining("hunter2")
			.satisfies((ex) -> assertThat(ex).hasNoCause());
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> parse(DocumentType.JSON, "{\"password\": \"hunter2"))
			.withMessageNotContaining("hunter2");
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> parse(DocumentType.YAML, "a: 1\npassword: \"hunter2\n"))
			.withMessageNotContaining("hunter2")
			.satisfies((ex) -> assertThat(ex).hasNoCause());
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> parse(DocumentType.YAML, "password: !!int hunter2\n"))
			.withMessageNotContaining("hunter2");
	}

	@Test
	void jsonKeysAreUnique() {
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> parse(DocumentType.JSON, "{\"a\": {\"b\": 1},\n \"a\": {\"c\": 2}}"))
			.withMessageContaining("at line 2: duplicate key 'a'");
	}

	@Test
	void documentSizeIsLimited() {
		EtcdConfigProperties.Limits limits = new EtcdConfigProperties.Limits();
		limits.setMaxDocumentSize(DataSize.ofBytes(7));
		for (DocumentType type : DocumentType.values()) {
			assertThat(type.parse("k", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), limits(limits))).isNotNull();
			assertThatExceptionOfType(MalformedConfigurationException.class)
				.isThrownBy(() -> type.parse("k", "{\"a\": 1}".getBytes(StandardCharsets.UTF_8), limits(limits)))
				.withMessageContaining("etcd.config.limits.max-document-size (7)");
		}
	}

	@Test
	void yamlAliasesOfCollectionsAreLimited() {
		EtcdConfigProperties.Limits limits = new EtcdConfigProperties.Limits();
		limits.setMaxAliases(2);
		String twoAliases = "a: &a [x]\nb: *a\nc: *a\nd: &s scalar\ne: *s\n";
		assertThat(values(parse(DocumentType.YAML, twoAliases, limits))).containsEntry("c[0]", "x");
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> parse(DocumentType.YAML, twoAliases + "f: *a\n", limits))
			.withMessageContaining("etcd key 'k'")
			.withMessageContaining("etcd.config.limits.max-aliases (2)");
	}

	@Test
	void anAliasBombIsStoppedByThePropertyCountEvenWithinTheAliases() {
		EtcdConfigProperties.Limits limits = new EtcdConfigProperties.Limits();
		limits.setMaxAliases(Integer.MAX_VALUE);
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> parse(DocumentType.YAML, HostileDocuments.ALIAS_BOMB, limits))
			.withMessageContaining("etcd.config.limits.max-properties (10000)");
	}

	@Test
	void nestingIsLimited() {
		EtcdConfigProperties.Limits limits = new EtcdConfigProperties.Limits();
		limits.setMaxDepth(3);
		assertThat(values(parse(DocumentType.YAML, "a:\n  b: [x]\n", limits))).containsEntry("a.b[0]", "x");
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> parse(DocumentType.YAML, "a:\n  b:\n    c: [x]\n", limits))
			.withMessageContaining("at line 3")
			.withMessageContaining("etcd.config.limits.max-depth (3)");
		assertThat(values(parse(DocumentType.JSON, "{\"a\": {\"b\": {\"c\": 1}}}", limits))).containsEntry("a.b.c", 1);
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> parse(DocumentType.JSON, "{\"a\": {\"b\": [[1]]}}", limits))
			.withMessageContaining("etcd.config.limits.max-depth (3)");
	}

	@Test
	void aListThatContainsItselfIsTooDeep() {
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> parse(DocumentType.YAML, HostileDocuments.RECURSIVE_ALIAS))
			.withMessageContaining("etcd key 'k' at line 3")
			.withMessageContaining("etcd.config.limits.max-depth (50)");
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> parse(DocumentType.YAML, "a: &x\n  b: *x\n"))
			.withMessageContaining("etcd.config.limits.max-depth (50)");
	}

	@Test
	void anErrorOfTheParserIsAMalformedDocument() {
		EtcdConfigProperties.Limits limits = new EtcdConfigProperties.Limits();
		limits.setMaxDepth(Integer.MAX_VALUE);
		limits.setMaxNameLength(Integer.MAX_VALUE);
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> parse(DocumentType.YAML, HostileDocuments.RECURSIVE_ALIAS, limits))
			.withMessageContaining("etcd key 'k'")
			.withMessageContaining("StackOverflowError");
	}

	@Test
	void propertyCountIsLimited() {
		EtcdConfigProperties.Limits limits = new EtcdConfigProperties.Limits();
		limits.setMaxProperties(4);
		assertThat(parse(DocumentType.PROPERTIES, "# a comment\na=1\nb=2\nc[]=x,\\\n  y\n", limits)).hasSize(4)
			.containsKeys("c[0]", "c[1]");
		limits.setMaxProperties(3);
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> parse(DocumentType.PROPERTIES, "a=1\nb[]=1,2,3\n", limits))
			.withMessageContaining("at line 2")
			.withMessageContaining("etcd.config.limits.max-properties (3)");
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> parse(DocumentType.YAML, "a: [1, 2]\nb: {c: 3, d: 4}\n", limits))
			.withMessageContaining("at line 2")
			.withMessageContaining("etcd.config.limits.max-properties (3)");
		assertThatExceptionOfType(MalformedConfigurationException.class)
			.isThrownBy(() -> parse(DocumentType.JSON, "{\"a\": [1, 2],\n \"b\": {\"c\": 3, \"d\": 4}}", limits))
			.withMessageContaining("at line 2")
			.withMessageContaining("etcd.config.limits.max-properties (3)");
	}

	@Test
	void nameLengthIsLimited() {
		EtcdConfigProperties.Limits limits = new EtcdConfigProperties.Limits();
		limits.setMaxNameLength(7);
		assertThat(values(parse(DocumentType.YAML, "ab:\n  c: [x]\n", limits))).containsEntry("ab.c[0]", "x");
		for (DocumentType type : DocumentType.values()) {
			String document = switch (type) {
				case PROPERTIES -> "a=1\nabc.defg=1\n";
				case YAML -> "a: 1\nab:\n  cd: [x]\n";
				case JSON -> "{\"a\": 1,\n\"ab\": {\"cdefg\": 1}}";
			};
			assertThatExceptionOfType(MalformedConfigurationException.class)
				.isThrownBy(() -> parse(type, document, limits))
				.withMessageContaining("etcd.config.limits.max-name-length (7)");
		}
	}

	@Test
	void limitsMustBePositive() {
		EtcdConfigProperties.Limits limits = new EtcdConfigProperties.Limits();
		limits.setMaxAliases(0);
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> DocumentLimits.of(limits))
			.withMessageContaining("etcd.config.limits.max-aliases");
	}

	private static Map<String, Object> parse(DocumentType type, String document) {
		return parse(type, document, new EtcdConfigProperties.Limits());
	}

	private static Map<String, Object> parse(DocumentType type, String document, EtcdConfigProperties.Limits limits) {
		return type.parse("k", document.getBytes(StandardCharsets.UTF_8), limits(limits));
	}

	private static DocumentLimits limits(EtcdConfigProperties.Limits limits) {
		return DocumentLimits.of(limits);
	}

	private static Map<String, Object> values(Map<String, Object> properties) {
		Map<String, Object> values = new java.util.LinkedHashMap<>();
		properties.forEach((name, value) -> values.put(name,
				(value instanceof OriginTrackedValue tracked) ? tracked.getValue() : value));
		return values;
	}

}
