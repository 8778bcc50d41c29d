package io.github.etcdspring.format.polyglot;

import java.util.Map;

import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.MalformedInstanceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class KratosFormatTests {

	private static final String ID = "3f0b6a6e-8a9b-11ee-b9d1-0242ac120002";

	private static final String KEY = "/microservices/helloworld/" + ID;

	private static final String VALUE = "{\"id\":\"" + ID + "\",\"name\":\"helloworld\",\"version\":\"v1.0.0\","
			+ "\"metadata\":null,\"endpoints\":[\"grpc://192.168.1.10:9000\",\"http://192.168.1.10:8000\"]}";

	private final Golden kratos = new Golden(PolyglotFormat.KRATOS);

	@Test
	void readsTheDocumentedExampleWithItsTwoPortsInTheMetadata() {
		EtcdServiceInstance instance = this.kratos.read(KEY, VALUE);
		assertThat(instance.getServiceId()).isEqualTo("helloworld");
		assertThat(instance.getInstanceId()).isEqualTo(ID);
		assertThat(instance.getUri()).hasToString("http://192.168.1.10:8000");
		assertThat(instance.getRegisteredMetadata()).containsOnly(Map.entry("version", "v1.0.0"),
				Map.entry("http.port", "8000"), Map.entry("grpc.port", "9000"), Map.entry("etcd.format", "kratos"));
	}

	@Test
	void writesTheDocumentedExampleByteForByte() {
		EtcdServiceInstance instance = Golden.instance("helloworld", ID, "192.168.1.10", 8000, 1,
				Map.of("version", "v1.0.0", "grpc.port", "9000"));
		assertThat(this.kratos.key(instance, 1)).isEqualTo(KEY);
		assertThat(this.kratos.value(instance)).isEqualTo(VALUE);
		assertThat(this.kratos.value(this.kratos.read(KEY, VALUE))).isEqualTo(VALUE);
	}

	@Test
	void aGrpcOnlyInstanceIsReachedAtItsGrpcPortAndWrittenBackAsIs() {
		String value = "{\"id\":\"" + ID + "\",\"name\":\"helloworld\",\"version\":\"\","
				+ "\"metadata\":{\"region\":\"東京\"},\"endpoints\":[\"grpc://[fd00::7]:9000\"]}";
		EtcdServiceInstance instance = this.kratos.read(KEY, value);
		assertThat(instance.getHost()).isEqualTo("fd00::7");
		assertThat(instance.getPort()).isEqualTo(9000);
		assertThat(instance.getRegisteredMetadata()).doesNotContainKey("version").containsEntry("region", "東京");
		assertThat(this.kratos.value(instance)).isEqualTo(value);
	}

	/**
	 * The application's gRPC registration ({@code service.grpc.*}) says what it is with
	 * {@code protocol=grpc}: Kratos clients dial a {@code grpc://} endpoint.
	 */
	@Test
	void theGrpcRegistrationIsWrittenWithAGrpcEndpoint() {
		EtcdServiceInstance instance = Golden.instance("helloworld-grpc", ID, "192.168.1.10", 9090, 1,
				Map.of("protocol", "grpc"));
		assertThat(this.kratos.value(instance)).isEqualTo("{\"id\":\"" + ID
				+ "\",\"name\":\"helloworld-grpc\",\"version\":\"\",\"metadata\":{\"protocol\":\"grpc\"},"
				+ "\"endpoints\":[\"grpc://192.168.1.10:9090\"]}");
	}

	@Test
	void httpsEndpointsAreSecureAndQueriesAreIgnored() {
		EtcdServiceInstance instance = this.kratos.read(KEY, "{\"name\":\"helloworld\",\"extra\":1,"
				+ "\"endpoints\":[\"https://192.168.1.10:8443?isSecure=true\",\"grpcs://192.168.1.10:9443\"]}");
		assertThat(instance.getUri()).hasToString("https://192.168.1.10:8443");
		assertThat(instance.getMetadata()).containsEntry("grpc.port", "9443");
	}

	@Test
	void aValueNamingAnotherServiceIsRejectedSoThatAdminServicesAreFilteredOut() {
		String value = VALUE.replace("\"helloworld\"", "\"helloworld-admin\"");
		assertThatExceptionOfType(MalformedInstanceException.class).isThrownBy(() -> this.kratos.read(KEY, value))
			.withMessageContaining("names service 'helloworld-admin', its key service 'helloworld'");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '`',
			textBlock = """
					{"name":"helloworld","endpoints":[]}                      | no http://, https://, grpc:// or grpcs:// endpoint
					{"name":"helloworld"}                                     | no http://, https://, grpc:// or grpcs:// endpoint
					{"name":"helloworld","endpoints":["tcp://1.2.3.4:1"]}     | endpoint 'tcp://1.2.3.4:1' is not http(s) or grpc(s)
					{"name":"helloworld","endpoints":[1]}                     | 'endpoints' holds a value that is not a string
					{"name":"helloworld","endpoints":"http://1.2.3.4:1"}      | 'endpoints' is a JSON string, not an array
					{"name":"helloworld","endpoints":["http://1.2.3.4"]}      | is not host:port
					{"name":"helloworld","endpoints":["grpc://192.168.1.10:9  | not JSON
					{"endpoints":["http://1.2.3.4:1"]}                        | 'name' is missing
					""")
	void malformedValuesAreRejectedWithTheReason(String value, String reason) {
		assertThatExceptionOfType(MalformedInstanceException.class).isThrownBy(() -> this.kratos.read(KEY, value))
			.withMessageContaining(reason);
	}

	@Test
	void tooManyEndpointsAreRejected() {
		String endpoints = "\"http://h:1\",".repeat(100);
		assertThatExceptionOfType(MalformedInstanceException.class)
			.isThrownBy(() -> this.kratos.read(KEY,
					"{\"name\":\"helloworld\",\"endpoints\":[" + endpoints + "\"http://h:1\"]}"))
			.withMessageContaining("more than 64");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/microservices/helloworld", "/microservices/helloworld/", "microservices/a/b" })
	void otherKeysAreNotKratosInstances(String key) {
		assertThat(this.kratos.parse(key)).isNull();
	}

}
