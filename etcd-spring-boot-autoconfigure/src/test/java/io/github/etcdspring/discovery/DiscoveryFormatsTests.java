package io.github.etcdspring.discovery;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.etcd.jetcd.ByteSequence;
import io.github.etcdspring.format.JsonServiceInstanceCodec;
import io.github.etcdspring.format.NativeKeyLayout;
import io.github.etcdspring.format.RegistryFormat;
import io.github.etcdspring.format.polyglot.EtcdFormatsProperties;
import io.github.etcdspring.format.polyglot.PolyglotFormat;
import io.github.etcdspring.format.polyglot.PolyglotFormats;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DiscoveryFormatsTests {

	private static final RegistryFormat NATIVE = RegistryFormat.of(new NativeKeyLayout("services"),
			new JsonServiceInstanceCodec());

	private static final PolyglotFormats ALL = PolyglotFormats.of(new EtcdFormatsProperties(),
			Arrays.asList(PolyglotFormat.values()));

	@Test
	void theNamedFormatsAreReadInTheirOrderAndTheOthersKeepTheirKeys() {
		CatalogFormats formats = DiscoveryFormats.of(List.of("kitex", " native", "kitex"), NATIVE, List.of(ALL));
		assertThat(formats.toString()).isEqualTo("kitex at 'kitex/registry-etcd/', native at 'services/'");
		assertThat(formats.candidates(bytes("/microservices/helloworld/3f0b"))).as("a Kratos key, not read").isEmpty();
	}

	@Test
	void anUnknownFormatIsRefusedNamingTheProperty() {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> DiscoveryFormats.of(List.of("native", "consul"), NATIVE, List.of(ALL)))
			.withMessageContaining("etcd.discovery.formats")
			.withMessageContaining("Unknown format 'consul'")
			.withMessageContaining("go-zero, gokit, gone, grpc-naming, kitex, kratos, native");
	}

	@Test
	void aJsonFormatWithoutJacksonIsRefusedNamingTheProperty() {
		PolyglotFormats plain = PolyglotFormats.of(new EtcdFormatsProperties(),
				List.of(PolyglotFormat.GOKIT, PolyglotFormat.GO_ZERO));
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> DiscoveryFormats.of(List.of("kitex"), NATIVE, List.of(plain)))
			.withMessageContaining("etcd.discovery.formats")
			.withMessageContaining("needs Jackson");
	}

	@Test
	void noFormatIsRefused() {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> DiscoveryFormats.of(List.of(), NATIVE, List.of(ALL)))
			.withMessageContaining("etcd.discovery.formats");
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

}
