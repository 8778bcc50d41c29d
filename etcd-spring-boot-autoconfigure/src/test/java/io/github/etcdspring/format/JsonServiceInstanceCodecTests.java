package io.github.etcdspring.format;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JsonServiceInstanceCodecTests {

	private final JsonServiceInstanceCodec codec = new JsonServiceInstanceCodec();

	@Test
	void writesTheDocumentedFormat() {
		EtcdServiceInstance instance = new EtcdServiceInstance("payments", "10.0.0.5:8080", "10.0.0.5", 8080, false,
				"UP", 1, Map.of("version", "1.4.2"));
		assertThat(new String(this.codec.encode(instance), StandardCharsets.UTF_8)).isEqualTo(
				"{\"id\":\"10.0.0.5:8080\",\"name\":\"payments\",\"host\":\"10.0.0.5\",\"port\":8080,\"secure\":false,"
						+ "\"status\":\"UP\",\"weight\":1,\"metadata\":{\"version\":\"1.4.2\"}}");
	}

	@Test
	void readsWhatItWrites() {
		EtcdServiceInstance instance = new EtcdServiceInstance("payments", "i-1", "::1", 8443, true, "OUT_OF_SERVICE",
				5, Map.of("zone", "eu-1"));
		assertThat(this.codec.decode("payments", "i-1", this.codec.encode(instance))).isEqualTo(instance);
	}

	@Test
	void readsAndWritesWhileItPreinitializesInTheBackground() {
		this.codec.preinitializeInBackground();
		EtcdServiceInstance instance = new EtcdServiceInstance("payments", "i-2", "10.0.0.6", 8080, false, "UP", 2,
				Map.of("zone", "eu-2"));
		assertThat(this.codec.decode("payments", "i-2", this.codec.encode(instance))).isEqualTo(instance);
	}

	@Test
	void minimalDocumentFromAnotherToolGetsDefaults() {
		EtcdServiceInstance instance = this.codec.decode("orders", "a",
				"{\"host\":\"10.1.1.1\",\"port\":9000,\"extra\":[1,2]}".getBytes(StandardCharsets.UTF_8));
		assertThat(instance.getServiceId()).isEqualTo("orders");
		assertThat(instance.getInstanceId()).isEqualTo("a");
		assertThat(instance.getStatus()).isEqualTo("UP");
		assertThat(instance.getWeight()).isEqualTo(1);
		assertThat(instance.isSecure()).isFalse();
		assertThat(instance.getMetadata()).containsExactly(Map.entry("weight", "1"));
		assertThat(instance.getUri()).hasToString("http://10.1.1.1:9000");
	}

	@Test
	void metadataCarriesWeightAndZoneForTheLoadBalancer() {
		EtcdServiceInstance instance = this.codec.decode("orders", "a",
				"{\"host\":\"h\",\"port\":1,\"weight\":7,\"metadata\":{\"zone\":\"eu-1\"}}"
					.getBytes(StandardCharsets.UTF_8));
		assertThat(instance.getMetadata()).containsEntry("weight", "7").containsEntry("zone", "eu-1");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			not json                                | not a JSON instance document
			{"host":"h","port":80                   | line 1, column
			null                                    | JSON null
			{"port":80}                             | 'host' is missing
			{"host":"h"}                            | 'port' must be between 1 and 65535
			{"host":"h","port":70000}               | 'port' must be between 1 and 65535
			{"host":"h","port":"eighty"}            | not a JSON instance document
			{"host":"h","port":80,"weight":0}       | 'weight' must be positive
			{"host":"h","port":80,"metadata":{"zone":null}} | 'metadata' entry 'zone' is null
			{"host":null,"port":80}                 | 'host' is missing
			[{"host":"h","port":80}]                | a JSON array, not an object
			"h:80"                                  | a JSON string, not an object
			80                                      | a JSON number, not an object
			``                                      | empty
			""")
	void malformedValuesAreRejectedWithTheReason(String value, String reason) {
		assertThatExceptionOfType(MalformedInstanceException.class)
			.isThrownBy(() -> this.codec.decode("s", "i", value.getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining(reason);
	}

	@Test
	void deeplyNestedValuesAreRejectedNotOverflowingTheStack() {
		String nested = "{\"host\":\"h\",\"port\":80,\"extra\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
		assertThatExceptionOfType(MalformedInstanceException.class)
			.isThrownBy(() -> this.codec.decode("s", "i", nested.getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("not a JSON instance document")
			.withMessageContaining("nesting depth");
	}

}
