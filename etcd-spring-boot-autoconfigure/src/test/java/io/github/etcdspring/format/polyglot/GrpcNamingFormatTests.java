package io.github.etcdspring.format.polyglot;

import java.util.Map;

import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.MalformedInstanceException;
import io.github.etcdspring.format.RegistryKeyLayout.InstanceKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class GrpcNamingFormatTests {

	private static final String KEY = "foo/bar/my-service/10.0.0.5:50051";

	private static final String VALUE = "{\"Op\":0,\"Addr\":\"10.0.0.5:50051\",\"Metadata\":null}";

	private final Golden naming = new Golden(PolyglotFormat.GRPC_NAMING);

	@Test
	void readsTheDocumentedExampleWhoseTargetHoldsSlashes() {
		EtcdServiceInstance instance = this.naming.read(KEY, VALUE);
		assertThat(instance.getServiceId()).isEqualTo("foo/bar/my-service");
		assertThat(instance.getInstanceId()).isEqualTo("10.0.0.5:50051");
		assertThat(instance.getHost()).isEqualTo("10.0.0.5");
		assertThat(instance.getPort()).isEqualTo(50051);
		assertThat(instance.getRegisteredMetadata()).containsOnly(Map.entry("etcd.format", "grpc-naming"));
	}

	@Test
	void writesTheDocumentedExampleByteForByte() {
		EtcdServiceInstance instance = Golden.instance("foo/bar/my-service", "x", "10.0.0.5", 50051, 1, Map.of());
		assertThat(this.naming.key(instance, 1)).isEqualTo(KEY);
		assertThat(this.naming.value(instance)).isEqualTo(VALUE);
	}

	@Test
	void theTargetIsTheServiceRange() {
		assertThat(this.naming.catalogRange()).isEmpty();
		assertThat(this.naming.serviceRange("foo/bar/my-service")).isEqualTo("foo/bar/my-service/");
		assertThat(new Golden(PolyglotFormat.GRPC_NAMING, "grpc").parse("grpc/echo/10.0.0.5:1"))
			.isEqualTo(new InstanceKey("echo", "10.0.0.5:1"));
	}

	@Test
	void metadataObjectsBecomeMetadataAndOtherMetadataIsIgnored() {
		assertThat(this.naming
			.read(KEY, "{\"Op\":0,\"Addr\":\"10.0.0.5:50051\",\"Metadata\":{\"zone\":\"eu\",\"n\":2,\"o\":{\"x\":1}}}")
			.getRegisteredMetadata())
			.containsOnly(Map.entry("zone", "eu"), Map.entry("n", "2"), Map.entry("etcd.format", "grpc-naming"));
		assertThat(this.naming.read(KEY, "{\"Op\":0,\"Addr\":\"10.0.0.5:50051\",\"Metadata\":\"legacy\"}")
			.getRegisteredMetadata()).containsOnly(Map.entry("etcd.format", "grpc-naming"));
		EtcdServiceInstance instance = Golden.instance("echo", "x", "fd00::7", 1, 1, Map.of("zone", "eu"));
		assertThat(this.naming.value(instance))
			.isEqualTo("{\"Op\":0,\"Addr\":\"[fd00::7]:1\",\"Metadata\":{\"zone\":\"eu\"}}");
	}

	@Test
	void aMissingOpIsAnAddAndUnknownFieldsAreIgnored() {
		assertThat(this.naming.read(KEY, "{\"Addr\":\"[::1]:50051\",\"Extra\":[1]}").getHost()).isEqualTo("::1");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			{"Op":1,"Addr":"10.0.0.5:50051","Metadata":null}   | 'Op' is 1, not 0 (Add)
			{"Op":0,"Metadata":null}                           | 'Addr' is missing
			{"Op":0,"Addr":"10.0.0.5:50051","Metad             | not JSON
			10.0.0.5:50051                                     | not JSON
			""")
	void malformedValuesAreRejectedWithTheReason(String value, String reason) {
		assertThatExceptionOfType(MalformedInstanceException.class).isThrownBy(() -> this.naming.read(KEY, value))
			.withMessageContaining(reason);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "echo", "echo/", "/echo/1.2.3.4:1", "a//b/1.2.3.4:1" })
	void keysWithoutATargetAndAnAddressAreNotInstances(String key) {
		assertThat(this.naming.parse(key)).isNull();
	}

}
