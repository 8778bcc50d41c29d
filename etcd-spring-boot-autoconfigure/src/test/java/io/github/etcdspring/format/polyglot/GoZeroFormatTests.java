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
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class GoZeroFormatTests {

	private static final String KEY = "user.rpc/7587862073213417490";

	private final Golden goZero = new Golden(PolyglotFormat.GO_ZERO);

	@Test
	void readsTheDocumentedExample() {
		EtcdServiceInstance instance = this.goZero.read(KEY, "192.168.1.10:8080");
		assertThat(instance.getServiceId()).isEqualTo("user.rpc");
		assertThat(instance.getInstanceId()).isEqualTo("7587862073213417490");
		assertThat(instance.getHost()).isEqualTo("192.168.1.10");
		assertThat(instance.getPort()).isEqualTo(8080);
		assertThat(instance.getRegisteredMetadata()).containsOnly(Map.entry("etcd.format", "go-zero"));
	}

	@Test
	void writesTheDocumentedExampleByteForByteNamingTheKeyAfterTheLease() {
		EtcdServiceInstance instance = Golden.instance("user.rpc", "x", "192.168.1.10", 8080, 1, Map.of("a", "b"));
		assertThat(this.goZero.key(instance, 7587862073213417490L)).isEqualTo(KEY);
		assertThat(this.goZero.value(instance)).isEqualTo("192.168.1.10:8080");
	}

	@Test
	void aKeyCannotBeWrittenWithoutALease() {
		EtcdServiceInstance instance = Golden.instance("user.rpc", "x", "192.168.1.10", 8080, 1, Map.of());
		assertThatIllegalArgumentException().isThrownBy(() -> this.goZero.key(instance, 0))
			.withMessageContaining("lease");
	}

	@Test
	void serviceKeysMayHoldSlashesAndSitAtTheRoot() {
		assertThat(this.goZero.catalogRange()).isEmpty();
		assertThat(this.goZero.serviceRange("user.rpc")).isEqualTo("user.rpc/");
		assertThat(this.goZero.parse("/apps/user.rpc/42")).isNull();
		assertThat(this.goZero.parse("apps/user.rpc/42")).isEqualTo(new InstanceKey("apps/user.rpc", "42"));
		assertThat(new Golden(PolyglotFormat.GO_ZERO, "zero").parse("zero/user.rpc/42"))
			.isEqualTo(new InstanceKey("user.rpc", "42"));
	}

	@Test
	void ipv6AddressesAreReadAndWrittenInBrackets() {
		EtcdServiceInstance instance = this.goZero.read(KEY, "[fd00::7]:8080");
		assertThat(instance.getHost()).isEqualTo("fd00::7");
		assertThat(this.goZero.value(instance)).isEqualTo("[fd00::7]:8080");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			192.168.1.10            | is not host:port
			`192.168.1.10:8080\n`   | has no valid port
			{"host":"h"}            | has no valid port
			``                      | the value is empty
			""")
	void malformedValuesAreRejectedWithTheReason(String value, String reason) {
		assertThatExceptionOfType(MalformedInstanceException.class)
			.isThrownBy(() -> this.goZero.read(KEY, value.replace("\\n", "\n")))
			.withMessageContaining(reason);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "user.rpc", "user.rpc/", "user.rpc/abc", "/42", "user.rpc/12345678901234567890",
			"services/payments/10.0.0.5:8080" })
	void otherKeysAreNotGoZeroInstances(String key) {
		assertThat(this.goZero.parse(key)).isNull();
	}

}
