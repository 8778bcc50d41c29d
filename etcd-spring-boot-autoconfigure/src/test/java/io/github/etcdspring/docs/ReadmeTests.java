package io.github.etcdspring.docs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README honest: every property in the generated configuration metadata has a
 * row in its tables, and the test command that CI runs is the one it documents.
 */
class ReadmeTests {

	private static final Path README = Path.of("..", "README.md");

	@Test
	void everyConfigurationPropertyIsDocumented() throws IOException {
		String readme = Files.readString(README);
		List<String> properties;
		try (InputStream metadata = new ClassPathResource("META-INF/spring-configuration-metadata.json")
			.getInputStream()) {
			JsonNode root = JsonMapper.builder().build().readTree(metadata);
			properties = root.get("properties")
				.valueStream()
				.map((property) -> property.get("name").asString())
				.toList();
		}
		assertThat(properties).isNotEmpty()
			.allSatisfy((property) -> assertThat(readme).contains("| `" + property + "` |"));
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

}
