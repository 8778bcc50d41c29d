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

class GoCoreFormatTests {

	private static final String KEY = "/go-core/services/billing/billing-1";

	private static final String VALUE = "{\"id\":\"billing-1\",\"name\":\"billing\",\"address\":\"10.0.0.7:9000\",\"metadata\":{\"version\":\"1.4.2\"}}";

	private final Golden goCore = new Golden(PolyglotFormat.GO_CORE);

	@Test
	void readsTheDocumentedExample() {
		EtcdServiceInstance instance = this.goCore.read(KEY, VALUE);
		assertThat(instance.getServiceId()).isEqualTo("billing");
		assertThat(instance.getInstanceId()).isEqualTo("billing-1");
		assertThat(instance.getHost()).isEqualTo("10.0.0.7");
		assertThat(instance.getPort()).isEqualTo(9000);
		assertThat(instance.getRegisteredMetadata()).containsOnly(Map.entry("version", "1.4.2"),
				Map.entry("etcd.format", "go-core"));
	}

	@Test
	void writesTheDocumentedExampleByteForByte() {
		EtcdServiceInstance instance = Golden.instance("billing", "billing-1", "10.0.0.7", 9000, 1,
				Map.of("version", "1.4.2"));
		assertThat(this.goCore.key(instance, 1)).isEqualTo(KEY);
		assertThat(this.goCore.value(instance)).isEqualTo(VALUE);
	}

	@Test
	void emptyMetadataIsLeftOutAsGoDoesWithOmitempty() {
		EtcdServiceInstance instance = Golden.instance("billing", "b", "fd00::7", 9000, 1, Map.of());
		assertThat(this.goCore.value(instance))
			.isEqualTo("{\"id\":\"b\",\"name\":\"billing\",\"address\":\"[fd00::7]:9000\"}");
		assertThat(this.goCore.read("/go-core/services/billing/b", this.goCore.value(instance)).getHost())
			.isEqualTo("fd00::7");
	}

	@Test
	void thePrefixIsGoCoresConfigPrefix() {
		assertThat(this.goCore.catalogRange()).isEqualTo("/go-core/services/");
		assertThat(new Golden(PolyglotFormat.GO_CORE, "/apps/myapp").serviceRange("billing"))
			.isEqualTo("/apps/myapp/services/billing/");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(
			strings = { "{\"id\":\"billing-1\",\"name\":\"billing\",\"address\":\"10.0.0.7:9000\",\"metadata\":null}",
					"{\"id\":\"billing-1\",\"name\":\"billing\",\"address\":\"10.0.0.7:9000\",\"metadata\":{}}",
					"{\"address\":\"10.0.0.7:9000\",\"extra\":{\"a\":[true]}}" })
	void nullEmptyOrMissingMetadataAndUnknownFieldsAreAccepted(String value) {
		assertThat(this.goCore.read(KEY, value).getRegisteredMetadata())
			.containsOnly(Map.entry("etcd.format", "go-core"));
	}

	@Test
	void escapedCharactersAreReadAndWrittenAsGoDoes() {
		String value = "{\"id\":\"billing-1\",\"name\":\"billing\",\"address\":\"10.0.0.7:9000\","
				+ "\"metadata\":{\"owner\":\"équipe \\u0026 \\u003cops\\u003e\\t\\u001f\\u2028\"}}";
		EtcdServiceInstance instance = this.goCore.read(KEY, value);
		assertThat(instance.getMetadata()).containsEntry("owner", "équipe & <ops>\t\u001f\u2028");
		assertThat(this.goCore.value(instance)).isEqualTo(value);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '`',
			textBlock = """
					{"id":"billing-1","name":"billing","address":"10.0.0.7:9000"     | not JSON
					{"id":"billing-1","name":"billing"}                              | 'address' is missing
					{"id":"billing-1","name":"payments","address":"10.0.0.7:9000"}   | names service 'payments', its key service 'billing'
					{"address":"10.0.0.7:9000","metadata":"v1"}                      | 'metadata' is a JSON string, not an object
					""")
	void malformedValuesAreRejectedWithTheReason(String value, String reason) {
		assertThatExceptionOfType(MalformedInstanceException.class).isThrownBy(() -> this.goCore.read(KEY, value))
			.withMessageContaining(reason);
	}

	@Test
	void deeplyNestedValuesAreRejected() {
		assertThatExceptionOfType(MalformedInstanceException.class)
			.isThrownBy(() -> this.goCore.read(KEY, Golden.deeplyNested("{\"address\":\"h:1\",\"x\":", "}")))
			.withMessageContaining("nesting depth");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/go-core/services/billing", "/go-core/config/app/a.b", "/go-core/locks/x" })
	void otherKeysAreNotGoCoreInstances(String key) {
		assertThat(this.goCore.parse(key)).isNull();
	}

}
