package io.github.etcdspring.docs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README honest: every property in the generated configuration metadata has a
 * row in its tables, every property of the starter named in a YAML or properties snippet
 * of the README and of docs/ exists, and the test command that CI runs is the one it
 * documents.
 */
class ReadmeTests {

	private static final Path README = Path.of("..", "README.md");

	private static final Path DOCS = Path.of("..", "docs");

	private static final Pattern SNIPPET = Pattern.compile("```(yaml|properties)\\n(.*?)```", Pattern.DOTALL);

	@Test
	void everyConfigurationPropertyIsDocumented() throws IOException {
		String readme = Files.readString(README);
		assertThat(metadata()).isNotEmpty()
			.allSatisfy((property) -> assertThat(readme).contains("| `" + property.name() + "` |"));
	}

	@Test
	void everyPropertyOfTheStarterInTheSnippetsExists() throws IOException {
		List<Property> properties = metadata();
		List<String> named = new ArrayList<>();
		for (Path document : documents()) {
			Matcher snippet = SNIPPET.matcher(Files.readString(document));
			while (snippet.find()) {
				List<String> names = snippet.group(1).equals("yaml") ? yamlNames(snippet.group(2))
						: propertiesNames(snippet.group(2));
				names.stream()
					.filter((name) -> name.startsWith("etcd.") || name.startsWith("service."))
					.forEach((name) -> named.add(document.getFileName() + ": " + name));
			}
		}
		assertThat(named).hasSizeGreaterThan(20)
			.allSatisfy((entry) -> assertThat(exists(entry.substring(entry.indexOf(": ") + 2), properties))
				.as(entry + " is a property of the starter")
				.isTrue());
	}

	@Test
	void ciRunsTheDocumentedTestCommand() throws IOException {
		List<String> ciCommands = Files.readAllLines(Path.of("..", ".ci", "run"))
			.stream()
			.filter((line) -> line.startsWith("./"))
			.toList();
		assertThat(ciCommands).containsExactly("./scripts/test.sh");
		assertThat(Files.readString(README)).contains("./scripts/test.sh").contains("./scripts/sample.sh");
	}

	private static boolean exists(String name, List<Property> properties) {
		String withoutIndexes = name.replaceAll("\\[\\d+]", "");
		return properties.stream()
			.anyMatch(
					(property) -> property.name().equals(withoutIndexes) || (property.type().startsWith("java.util.Map")
							&& withoutIndexes.startsWith(property.name() + ".")));
	}

	private static List<Path> documents() throws IOException {
		try (Stream<Path> docs = Files.list(DOCS)) {
			return Stream.concat(Stream.of(README), docs.filter((path) -> path.toString().endsWith(".md")).sorted())
				.toList();
		}
	}

	private static List<String> yamlNames(String snippet) {
		List<String> names = new ArrayList<>();
		for (Object document : new Yaml(new LoaderOptions()).loadAll(snippet)) {
			flatten("", document, names);
		}
		return names;
	}

	private static void flatten(String prefix, Object value, List<String> names) {
		if (value instanceof Map<?, ?> map) {
			map.forEach(
					(key, child) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, child, names));
		}
		else if (!prefix.isEmpty()) {
			names.add(prefix);
		}
	}

	private static List<String> propertiesNames(String snippet) {
		return snippet.lines()
			.map(String::strip)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#") && line.contains("="))
			.map((line) -> line.substring(0, line.indexOf('=')).strip())
			.toList();
	}

	private static List<Property> metadata() throws IOException {
		try (InputStream metadata = new ClassPathResource("META-INF/spring-configuration-metadata.json")
			.getInputStream()) {
			JsonNode root = JsonMapper.builder().build().readTree(metadata);
			return root.get("properties")
				.valueStream()
				.map((property) -> new Property(property.get("name").asString(),
						property.has("type") ? property.get("type").asString() : ""))
				.toList();
		}
	}

	private record Property(String name, String type) {

	}

}
