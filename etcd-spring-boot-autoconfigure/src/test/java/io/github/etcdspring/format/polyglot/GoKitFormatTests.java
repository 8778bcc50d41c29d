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

class GoKitFormatTests {

	private static final String KEY = "/services/foosvc/1.2.3.4:8080";

	private final Golden gokit = new Golden(PolyglotFormat.GOKIT);

	@Test
	void readsTheDocumentedExample() {
		EtcdServiceInstance instance = this.gokit.read(KEY, "http://1.2.3.4:8080");
		assertThat(instance.getServiceId()).isEqualTo("foosvc");
		assertThat(instance.getInstanceId()).isEqualTo("1.2.3.4:8080");
		assertThat(instance.getUri()).hasToString("http://1.2.3.4:8080");
		assertThat(instance.getWeight()).isEqualTo(1);
		assertThat(instance.getRegisteredMetadata()).containsOnly(Map.entry("etcd.format", "gokit"));
	}

	@Test
	void writesTheDocumentedExampleByteForByte() {
		EtcdServiceInstance instance = Golden.instance("foosvc", "x", "1.2.3.4", 8080, 1, Map.of("a", "b"));
		assertThat(this.gokit.key(instance, 1)).isEqualTo(KEY);
		assertThat(this.gokit.value(instance)).isEqualTo("http://1.2.3.4:8080");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "1.2.3.4:8080, 1.2.3.4, 8080, false", "https://h.example:8443/api, h.example, 8443, true",
			"'http://[fd00::7]:80', fd00::7, 80, false", "http://1.2.3.4:8080?x=1, 1.2.3.4, 8080, false" })
	void readsInstanceStringsWithOrWithoutScheme(String value, String host, int port, boolean secure) {
		EtcdServiceInstance instance = this.gokit.read(KEY, value);
		assertThat(instance.getHost()).isEqualTo(host);
		assertThat(instance.getPort()).isEqualTo(port);
		assertThat(instance.isSecure()).isEqualTo(secure);
	}

	@Test
	void writesIpv6HostsInBrackets() {
		EtcdServiceInstance instance = Golden.instance("foosvc", "x", "fd00::7", 80, 1, Map.of());
		assertThat(this.gokit.key(instance, 1)).isEqualTo("/services/foosvc/[fd00::7]:80");
		assertThat(this.gokit.value(instance)).isEqualTo("http://[fd00::7]:80");
	}

	/**
	 * go-kit's gRPC transport dials a plain {@code host:port}: so is the application's
	 * gRPC registration ({@code protocol=grpc}) written.
	 */
	@Test
	void theGrpcRegistrationIsWrittenAsAPlainAddress() {
		EtcdServiceInstance instance = Golden.instance("foosvc-grpc", "x", "1.2.3.4", 9090, 1,
				Map.of("protocol", "grpc"));
		assertThat(this.gokit.value(instance)).isEqualTo("1.2.3.4:9090");
	}

	@Test
	void thePrefixIsTheCallersChoice() {
		Golden other = new Golden(PolyglotFormat.GOKIT, "/service");
		assertThat(other.parse("/service/foobar/1.2.3.4:8080")).isEqualTo(new InstanceKey("foobar", "1.2.3.4:8080"));
		assertThat(other.serviceRange("foobar")).isEqualTo("/service/foobar/");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			http://1.2.3.4          | is not host:port
			ftp://1.2.3.4:21        | scheme 'ftp' is not http or https
			1.2.3.4:http            | has no valid port
			http://[]:80            | has no valid host
			`http://1.2.3.4:80 x`   | has no valid port
			``                      | the value is empty
			""")
	void malformedValuesAreRejectedWithTheReason(String value, String reason) {
		assertThatExceptionOfType(MalformedInstanceException.class).isThrownBy(() -> this.gokit.read(KEY, value))
			.withMessageContaining(reason);
	}

	@Test
	void nonUtf8AndOverLargeValuesAreRejected() {
		assertThatExceptionOfType(MalformedInstanceException.class)
			.isThrownBy(() -> this.gokit.format().codec().decode("s", "i", new byte[] { (byte) 0xff, ':', '1' }))
			.withMessageContaining("not UTF-8");
		assertThatExceptionOfType(MalformedInstanceException.class)
			.isThrownBy(() -> this.gokit.read(KEY, Golden.overLarge() + ":80"))
			.withMessageContaining("more than 65536");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/services/foosvc", "/services/foosvc/", "services/foosvc/1.2.3.4:8080" })
	void otherKeysAreNotGoKitInstances(String key) {
		assertThat(this.gokit.parse(key)).isNull();
	}

}
