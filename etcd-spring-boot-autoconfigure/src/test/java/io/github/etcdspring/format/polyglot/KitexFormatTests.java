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

class KitexFormatTests {

	private static final String KEY = "kitex/registry-etcd/echo/192.168.1.10:8888";

	private static final String VALUE = "{\"network\":\"tcp\",\"address\":\"192.168.1.10:8888\",\"weight\":10,\"tags\":null}";

	private final Golden kitex = new Golden(PolyglotFormat.KITEX);

	@Test
	void readsTheDocumentedExample() {
		EtcdServiceInstance instance = this.kitex.read(KEY, VALUE);
		assertThat(instance.getServiceId()).isEqualTo("echo");
		assertThat(instance.getInstanceId()).isEqualTo("192.168.1.10:8888");
		assertThat(instance.getHost()).isEqualTo("192.168.1.10");
		assertThat(instance.getPort()).isEqualTo(8888);
		assertThat(instance.getWeight()).isEqualTo(10);
		assertThat(instance.isUp()).isTrue();
		assertThat(instance.getMetadata()).containsOnly(Map.entry("etcd.format", "kitex"), Map.entry("weight", "10"));
	}

	@Test
	void writesTheDocumentedExampleByteForByte() {
		EtcdServiceInstance instance = Golden.instance("echo", "i-1", "192.168.1.10", 8888, 10, Map.of());
		assertThat(this.kitex.key(instance, 7)).isEqualTo(KEY);
		assertThat(this.kitex.value(instance)).isEqualTo(VALUE);
	}

	@Test
	void writesBackWhatItReadsIgnoringTheFormatMetadata() {
		assertThat(this.kitex.value(this.kitex.read(KEY, VALUE))).isEqualTo(VALUE);
	}

	@Test
	void servicesLiveUnderThePrefix() {
		assertThat(this.kitex.catalogRange()).isEqualTo("kitex/registry-etcd/");
		assertThat(this.kitex.serviceRange("echo")).isEqualTo("kitex/registry-etcd/echo/");
		assertThat(new Golden(PolyglotFormat.KITEX, "hertz/registry-etcd").serviceRange("echo"))
			.isEqualTo("hertz/registry-etcd/echo/");
	}

	@Test
	void anEmptyPrefixGivesTheKeysOfTheDeprecatedConstructorsWithAuth() {
		Golden withAuth = new Golden(PolyglotFormat.KITEX, "");
		assertThat(withAuth.key(Golden.instance("echo", "i", "10.0.0.1", 80, 1, Map.of()), 1))
			.isEqualTo("/echo/10.0.0.1:80");
		assertThat(withAuth.parse("/echo/10.0.0.1:80")).isEqualTo(new InstanceKey("echo", "10.0.0.1:80"));
	}

	@Test
	void ipv6HostsHaveNoBracketsInTheKeyAndBracketsInTheValue() {
		EtcdServiceInstance instance = Golden.instance("echo", "i", "fd00::7", 8888, 10, Map.of());
		assertThat(this.kitex.key(instance, 1)).isEqualTo("kitex/registry-etcd/echo/fd00::7:8888");
		assertThat(this.kitex.value(instance)).contains("\"address\":\"[fd00::7]:8888\"");
		EtcdServiceInstance read = this.kitex.read("kitex/registry-etcd/echo/fd00::7:8888",
				"{\"network\":\"tcp\",\"address\":\"[fd00::7]:8888\",\"weight\":10,\"tags\":null}");
		assertThat(read.getHost()).isEqualTo("fd00::7");
		assertThat(read.getPort()).isEqualTo(8888);
		assertThat(read.getInstanceId()).isEqualTo("fd00::7:8888");
	}

	@Test
	void readsBareIpv6AddressesToo() {
		EtcdServiceInstance read = this.kitex.read("kitex/registry-etcd/echo/::1:8888",
				"{\"network\":\"tcp\",\"address\":\"::1:8888\",\"weight\":10,\"tags\":null}");
		assertThat(read.getHost()).isEqualTo("::1");
		assertThat(read.getPort()).isEqualTo(8888);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "\"tags\":null", "\"tags\":{}", "\"other\":1" })
	void emptyNullAndMissingTagsAreNoMetadata(String tags) {
		EtcdServiceInstance instance = this.kitex.read(KEY,
				"{\"network\":\"tcp\",\"address\":\"192.168.1.10:8888\",\"weight\":10," + tags + "}");
		assertThat(instance.getRegisteredMetadata()).containsOnly(Map.entry("etcd.format", "kitex"));
	}

	@Test
	void tagsAreMetadataWithUnicodeAndEscapesReadAsGoWritesThem() {
		EtcdServiceInstance instance = this.kitex.read(KEY,
				"{\"network\":\"tcp\",\"address\":\"192.168.1.10:8888\",\"weight\":10,"
						+ "\"tags\":{\"note\":\"caf\\u00e9 \\u003cb\\u003e \\u0026 \\\"q\\\"\\n\",\"zone\":\"東京\"}}");
		assertThat(instance.getMetadata()).containsEntry("note", "café <b> & \"q\"\n").containsEntry("zone", "東京");
	}

	@Test
	void tagsAreWrittenSortedAndEscapedAsGoDoes() {
		EtcdServiceInstance instance = Golden.instance("echo", "i", "10.0.0.1", 80, 3,
				Map.of("zone", "東京", "note", "café <b> & \"q\"\n😀", "etcd.format", "native"));
		assertThat(this.kitex.value(instance))
			.isEqualTo("{\"network\":\"tcp\",\"address\":\"10.0.0.1:80\",\"weight\":3,"
					+ "\"tags\":{\"note\":\"café \\u003cb\\u003e \\u0026 \\\"q\\\"\\n😀\",\"zone\":\"東京\"}}");
	}

	@ParameterizedTest(name = "weight {0} is {1}")
	@CsvSource({ "10, 10", "1, 1", "250, 250", "0, 10", "-3, 10", "null, 10" })
	void weightsOfZeroOrLessAreKitexsDefault(String weight, int expected) {
		EtcdServiceInstance instance = this.kitex.read(KEY,
				"{\"network\":\"tcp\",\"address\":\"192.168.1.10:8888\",\"weight\":" + weight + ",\"tags\":null}");
		assertThat(instance.getWeight()).isEqualTo(expected);
		assertThat(instance.getMetadata()).containsEntry("weight", Integer.toString(expected));
	}

	@Test
	void unknownFieldsAreIgnored() {
		EtcdServiceInstance instance = this.kitex.read(KEY, "{\"network\":\"tcp\",\"address\":\"192.168.1.10:8888\","
				+ "\"weight\":10,\"tags\":null,\"future\":{\"nested\":[1,2,{\"x\":null}]},\"v\":2.5}");
		assertThat(instance.getPort()).isEqualTo(8888);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			{"network":"tcp","address":"192.168.1.10:88     | not a kitex instance: not JSON
			{"network":"tcp","weight":10}                   | 'address' is missing
			{"network":"unix","address":"/tmp/echo.sock"}   | network 'unix' is not tcp
			{"address":"192.168.1.10"}                      | 'address' '192.168.1.10' is not host:port
			{"address":"192.168.1.10:0"}                    | port must be between 1 and 65535
			{"address":"192.168.1.10:99999"}                | port must be between 1 and 65535
			{"address":"h:80","weight":2.5}                 | 'weight' is a JSON number, not a whole number
			{"address":"h:80","weight":"10"}                | 'weight' is a JSON string, not a whole number
			{"address":"h:80","weight":99999999999}         | 'weight' 99999999999 is too large
			{"address":"h:80","tags":["a"]}                 | 'tags' is a JSON array, not an object
			[{"address":"h:80"}]                            | a JSON array, not an object
			null                                            | a JSON null, not an object
			``                                              | the value is empty
			""")
	void malformedValuesAreRejectedWithTheReason(String value, String reason) {
		assertThatExceptionOfType(MalformedInstanceException.class).isThrownBy(() -> this.kitex.read(KEY, value))
			.withMessageContaining(reason);
	}

	@Test
	void overLargeValuesAreRejected() {
		String value = "{\"address\":\"h:80\",\"tags\":{\"a\":\"" + Golden.overLarge() + "\"}}";
		assertThatExceptionOfType(MalformedInstanceException.class).isThrownBy(() -> this.kitex.read(KEY, value))
			.withMessageContaining("more than 65536");
	}

	@Test
	void deeplyNestedValuesAreRejected() {
		String value = Golden.deeplyNested("{\"address\":\"h:80\",\"x\":", "}");
		assertThatExceptionOfType(MalformedInstanceException.class).isThrownBy(() -> this.kitex.read(KEY, value))
			.withMessageContaining("nesting depth");
	}

	@Test
	void errorsQuoteOnlyAShortExcerptOfTheValue() {
		String value = "{\"address\":\"" + "h".repeat(500) + "\"}";
		assertThatExceptionOfType(MalformedInstanceException.class).isThrownBy(() -> this.kitex.read(KEY, value))
			.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(120));
	}

	@Test
	void errorsOfUnreadableJsonQuoteOnlyAShortExcerptOfTheValue() {
		String value = "{\"address\":" + "garbage".repeat(100) + "}";
		assertThatExceptionOfType(MalformedInstanceException.class).isThrownBy(() -> this.kitex.read(KEY, value))
			.withMessageContaining("not JSON")
			.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(240));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "kitex/registry-etcd/echo", "kitex/registry-etcd/echo/", "kitex/registry-etcd//x",
			"hertz/registry-etcd/echo/1.2.3.4:80", "services/echo/1.2.3.4:80", "" })
	void otherKeysAreNotKitexInstances(String key) {
		assertThat(this.kitex.parse(key)).isNull();
	}

}
