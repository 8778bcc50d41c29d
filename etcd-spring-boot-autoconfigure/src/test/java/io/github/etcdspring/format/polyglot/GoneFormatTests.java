package io.github.etcdspring.format.polyglot;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.InstanceStatus;
import io.github.etcdspring.format.MalformedInstanceException;
import io.github.etcdspring.format.RegistryKeyLayout.InstanceKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class GoneFormatTests {

	private static final String KEY = "user-center-192.168.1.10:9090";

	private static final String VALUE = "eyJuYW1lIjoidXNlci1jZW50ZXIiLCJpcCI6IjE5Mi4xNjguMS4xMCIsInBvcnQiOjkwOTAsIm1ldGEiOnsiZ3JwYyI6InRydWUifSwiaGVhbHRoeSI6dHJ1ZSwid2VpZ2h0IjoxMDB9";

	private final Golden gone = new Golden(PolyglotFormat.GONE);

	@Test
	void readsTheDocumentedExample() {
		EtcdServiceInstance instance = this.gone.read(KEY, VALUE);
		assertThat(instance.getServiceId()).isEqualTo("user-center");
		assertThat(instance.getInstanceId()).isEqualTo(KEY);
		assertThat(instance.getHost()).isEqualTo("192.168.1.10");
		assertThat(instance.getPort()).isEqualTo(9090);
		assertThat(instance.getWeight()).isEqualTo(100);
		assertThat(instance.isUp()).isTrue();
		assertThat(instance.getRegisteredMetadata()).containsOnly(Map.entry("grpc", "true"),
				Map.entry("etcd.format", "gone"));
	}

	@Test
	void writesTheDocumentedExampleByteForByte() {
		EtcdServiceInstance instance = Golden.instance("user-center", "ignored", "192.168.1.10", 9090, 100,
				Map.of("grpc", "true"));
		assertThat(this.gone.key(instance, 1)).isEqualTo(KEY);
		assertThat(this.gone.value(instance)).isEqualTo(VALUE);
		assertThat(json(this.gone.value(instance))).isEqualTo(
				"{\"name\":\"user-center\",\"ip\":\"192.168.1.10\",\"port\":9090,\"meta\":{\"grpc\":\"true\"},\"healthy\":true,\"weight\":100}");
	}

	@Test
	void keysSitAtTheRootAndAServiceRangeOverMatchesOtherNames() {
		assertThat(this.gone.catalogRange()).isEmpty();
		assertThat(this.gone.serviceRange("user")).isEqualTo("user-");
		assertThat(this.gone.parse(KEY)).isEqualTo(new InstanceKey("user-center", KEY));
		assertThat(new Golden(PolyglotFormat.GONE, "gone").serviceRange("user")).isEqualTo("gone/user-");
	}

	@Test
	void aValueNamingAnotherServiceThanItsKeyIsRejected() {
		String value = base64(
				"{\"name\":\"user\",\"ip\":\"192.168.1.10\",\"port\":9090,\"meta\":null,\"healthy\":true,\"weight\":1}");
		assertThatExceptionOfType(MalformedInstanceException.class).isThrownBy(() -> this.gone.read(KEY, value))
			.withMessageContaining("names service 'user', its key service 'user-center'");
	}

	@Test
	void aValueWithAnotherAddressThanItsKeyIsRejected() {
		String value = base64(
				"{\"name\":\"user-center\",\"ip\":\"10.0.0.1\",\"port\":9090,\"meta\":null,\"healthy\":true,\"weight\":1}");
		assertThatExceptionOfType(MalformedInstanceException.class).isThrownBy(() -> this.gone.read(KEY, value))
			.withMessageContaining("not those of its key");
	}

	@Test
	void ipv6AddressesAreReadAndWrittenWithoutBrackets() {
		EtcdServiceInstance instance = Golden.instance("user-center", "x", "fd00::7", 9090, 100, Map.of());
		assertThat(this.gone.key(instance, 1)).isEqualTo("user-center-fd00::7:9090");
		EtcdServiceInstance read = this.gone.read("user-center-fd00::7:9090", this.gone.value(instance));
		assertThat(read.getHost()).isEqualTo("fd00::7");
		assertThat(read.getServiceId()).isEqualTo("user-center");
	}

	@Test
	void unhealthyInstancesAreDownAndWrittenUnhealthy() {
		String value = base64(
				"{\"name\":\"user-center\",\"ip\":\"192.168.1.10\",\"port\":9090,\"meta\":null,\"healthy\":false,\"weight\":100}");
		EtcdServiceInstance instance = this.gone.read(KEY, value);
		assertThat(instance.getStatus()).isEqualTo(InstanceStatus.DOWN);
		assertThat(this.gone.value(instance)).isEqualTo(value);
	}

	@ParameterizedTest(name = "weight {0} is {1}")
	@CsvSource({ "100, 100", "1.0, 1", "0.5, 1", "2.5, 3", "2.4, 2", "0, 1", "1e2, 100", "null, 1" })
	void floatWeightsAreRoundedHalfUpToAtLeastOne(String weight, int expected) {
		String value = base64("{\"name\":\"user-center\",\"ip\":\"192.168.1.10\",\"port\":9090,\"meta\":{},"
				+ "\"healthy\":true,\"weight\":" + weight + "}");
		assertThat(this.gone.read(KEY, value).getWeight()).isEqualTo(expected);
	}

	@Test
	void emptyAndNullMetaAreNoMetadataAndUnicodeIsKept() {
		String value = base64("{\"name\":\"user-center\",\"ip\":\"192.168.1.10\",\"port\":9090,"
				+ "\"meta\":{\"région\":\"Île-de-France \\u0026 \\u003c\\u003e\"},\"healthy\":true,\"weight\":100,\"extra\":[]}");
		assertThat(this.gone.read(KEY, value).getMetadata()).containsEntry("région", "Île-de-France & <>");
		EtcdServiceInstance written = Golden.instance("user-center", "x", "192.168.1.10", 9090, 100,
				Map.of("région", "Île-de-France & <>"));
		assertThat(json(this.gone.value(written)))
			.contains("\"meta\":{\"région\":\"Île-de-France \\u0026 \\u003c\\u003e\"}");
		assertThat(json(this.gone.value(Golden.instance("user-center", "x", "192.168.1.10", 9090, 100, Map.of()))))
			.contains("\"meta\":null");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '`',
			textBlock = """
							{"name":"user-center","ip":"192.168.1.10","port":90  | not a gone instance: not JSON
							{"name":"user-center","ip":"192.168.1.10"}           | 'port' is missing
							{"ip":"192.168.1.10","port":9090}                    | 'name' is missing
					{"name":"user-center","ip":"192.168.1.10","port":0}  | port must be between 1 and 65535, was 0
					{"name":"user-center","ip":"","port":9090}           | 'ip' and 'port' ':9090' is not host:port
							{"name":"user-center","ip":"192.168.1.10","port":9090,"weight":-1} | 'weight' -1.0 is not between 0
							{"name":"user-center","ip":"192.168.1.10","port":9090,"weight":"1"} | 'weight' is a JSON string, not a number
							{"name":"user-center","ip":"192.168.1.10","port":9090,"healthy":"yes"} | 'healthy' is a JSON string, not a boolean
							""")
	void malformedValuesAreRejectedWithTheReason(String json, String reason) {
		assertThatExceptionOfType(MalformedInstanceException.class).isThrownBy(() -> this.gone.read(KEY, base64(json)))
			.withMessageContaining(reason);
	}

	@Test
	void rawJsonAndTruncatedBase64AreRejected() {
		assertThatExceptionOfType(MalformedInstanceException.class)
			.isThrownBy(() -> this.gone.read(KEY, "{\"name\":\"user-center\"}"))
			.withMessageContaining("not base64");
		assertThatExceptionOfType(MalformedInstanceException.class)
			.isThrownBy(() -> this.gone.read(KEY, VALUE.substring(0, 41)))
			.withMessageContaining("not a gone instance");
	}

	@Test
	void overLargeAndDeeplyNestedValuesAreRejected() {
		assertThatExceptionOfType(MalformedInstanceException.class)
			.isThrownBy(() -> this.gone.read(KEY, base64("{\"name\":\"" + Golden.overLarge() + "\"}")))
			.withMessageContaining("more than 65536");
		assertThatExceptionOfType(MalformedInstanceException.class)
			.isThrownBy(() -> this.gone.read(KEY, base64(Golden.deeplyNested("{\"meta\":", "}"))))
			.withMessageContaining("nesting depth");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "user-center", "user-center-192.168.1.10", "user-center-192.168.1.10:", "-1.2.3.4:80",
			"user-:80", "services/echo/1.2.3.4:80", "user-center-1.2.3.4:http", "user-center-1.2.3.4:123456" })
	void otherKeysAreNotGoneInstances(String key) {
		assertThat(this.gone.parse(key)).isNull();
	}

	private static String base64(String json) {
		return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

	private static String json(String base64) {
		return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
	}

}
