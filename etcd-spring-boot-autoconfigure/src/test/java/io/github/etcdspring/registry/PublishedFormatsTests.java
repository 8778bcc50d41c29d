package io.github.etcdspring.registry;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.InstanceStatus;
import io.github.etcdspring.format.JsonServiceInstanceCodec;
import io.github.etcdspring.format.NativeKeyLayout;
import io.github.etcdspring.format.RegistryFormat;
import io.github.etcdspring.format.polyglot.PolyglotFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PublishedFormatsTests {

	private static final EtcdServiceInstance ECHO = new EtcdServiceInstance("echo", "127.0.0.1:8080", "127.0.0.1", 8080,
			false, InstanceStatus.UP, 1, Map.of());

	@Test
	void theDefaultLayoutsOfEveryFormatCanBePublishedTogetherExceptThoseSharingTheRoot() {
		published(Map.of(), "native", "kitex", "gokit", "go-core", "kratos", "grpc-naming").check(ECHO);
		published(Map.of(), "native", "kitex", "gokit", "go-core", "kratos", "go-zero").check(ECHO);
		published(Map.of(), "native", "kitex", "gokit", "go-core", "kratos", "gone").check(ECHO);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					native,gone,grpc-naming | The grpc-naming key 'echo/127.0.0.1:8080' of service 'echo' is in the range 'echo' that gone readers list
					native,gone,go-zero     | The go-zero key 'echo/1' (named after its lease, here 1) of service 'echo' is in the range 'echo' that gone readers list
					grpc-naming,go-zero     | The grpc-naming key 'echo/127.0.0.1:8080' of service 'echo' is in the range 'echo/' that go-zero readers list
					""")
	void formatsWhoseReadersWouldReadEachOthersKeysAreRefused(String formats, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> published(Map.of(), formats.split(",")).check(ECHO))
			.withMessageStartingWith(message);
	}

	@Test
	void twoFormatsWritingTheSameKeyAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> published(Map.of(PolyglotFormat.KITEX, "services"), "native", "kitex").check(ECHO))
			.withMessageStartingWith("The native key 'services/echo/127.0.0.1:8080' of service 'echo' is in the "
					+ "range 'services/echo/' that kitex readers list");
	}

	@Test
	void noOtherFormatIsPublishedUnderKratossNamespaceEvenWithoutKratos() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> published(Map.of(PolyglotFormat.KITEX, "/microservices"), "native", "kitex").check(ECHO))
			.withMessage("The kitex key '/microservices/echo/127.0.0.1:8080' is under Kratos's namespace "
					+ "'/microservices/' (etcd.formats.kratos.prefix), whose readers fail on any value that is not "
					+ "Kratos's");
	}

	@Test
	void aServiceWhoseNameIsAPrefixOfTheNativeRootIsInGonesRange() {
		EtcdServiceInstance serv = new EtcdServiceInstance("serv", "127.0.0.1:8080", "127.0.0.1", 8080, false,
				InstanceStatus.UP, 1, Map.of());
		assertThatIllegalArgumentException().isThrownBy(() -> published(Map.of(), "native", "gone").check(serv))
			.withMessageStartingWith("The native key 'services/serv/127.0.0.1:8080' of service 'serv' is in the "
					+ "range 'serv' that gone readers list");
	}

	@Test
	void unknownAndRepeatedFormatsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> published(Map.of(), "native", "eureka"))
			.withMessageStartingWith("Unknown format 'eureka': the formats are [go-core, go-zero, gokit, gone, "
					+ "grpc-naming, kitex, kratos, native]");
		assertThatIllegalArgumentException().isThrownBy(() -> published(Map.of(), "kitex", " kitex"))
			.withMessage("The format 'kitex' is listed twice");
		assertThatIllegalArgumentException().isThrownBy(() -> published(Map.of()))
			.withMessage("At least one format is needed, such as native");
	}

	@Test
	void goZeroKeysAreNamedAfterTheLeaseAndTheOthersAreNot() {
		List<LeasedKey> keys = published(Map.of(), "native", "go-zero").keys(ECHO);
		assertThat(keys.get(0).under(7)).isEqualTo(keys.get(0).under(8));
		assertThat(keys.get(1).under(7).toString(StandardCharsets.UTF_8)).isEqualTo("echo/7");
		assertThat(keys.get(1).under(8).toString(StandardCharsets.UTF_8)).isEqualTo("echo/8");
		assertThat(keys.get(1)).isEqualTo(published(Map.of(), "go-zero").keys(ECHO).get(0));
	}

	private static PublishedFormats published(Map<PolyglotFormat, String> prefixes, String... names) {
		Map<String, RegistryFormat> available = new LinkedHashMap<>();
		available.put("native", RegistryFormat.of(new NativeKeyLayout("services"), new JsonServiceInstanceCodec()));
		for (PolyglotFormat format : PolyglotFormat.values()) {
			available.put(format.formatName(), format.create(prefixes.getOrDefault(format, format.defaultPrefix())));
		}
		return PublishedFormats.select(available, List.of(names));
	}

}
