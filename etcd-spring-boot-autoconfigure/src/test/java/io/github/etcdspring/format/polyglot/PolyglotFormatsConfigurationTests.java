package io.github.etcdspring.format.polyglot;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.etcdspring.format.RegistryFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.context.annotation.UserConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class PolyglotFormatsConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(UserConfigurations.of(PolyglotFormatsConfiguration.class));

	@Test
	void everyFormatIsThereWithItsLibrarysDefaultPrefix() {
		this.runner.run((context) -> {
			assertThat(names(context)).containsExactlyInAnyOrder("kitex", "gokit", "gone", "go-core", "grpc-naming",
					"kratos", "go-zero");
			assertThat(catalogRange(context, "kitex")).isEqualTo("kitex/registry-etcd/");
			assertThat(catalogRange(context, "gokit")).isEqualTo("/services/");
			assertThat(catalogRange(context, "gone")).isEmpty();
			assertThat(catalogRange(context, "go-core")).isEqualTo("/go-core/services/");
			assertThat(catalogRange(context, "grpc-naming")).isEmpty();
			assertThat(catalogRange(context, "kratos")).isEqualTo("/microservices/");
			assertThat(catalogRange(context, "go-zero")).isEmpty();
		});
	}

	@Test
	void aPrefixMovesTheFormatsRoot() {
		this.runner
			.withPropertyValues("etcd.formats.kitex.prefix=hertz/registry-etcd", "etcd.formats.go-core.prefix=/apps/x",
					"etcd.formats.go-zero.prefix=zero", "etcd.formats.grpc-naming.prefix=")
			.run((context) -> {
				assertThat(catalogRange(context, "kitex")).isEqualTo("hertz/registry-etcd/");
				assertThat(catalogRange(context, "go-core")).isEqualTo("/apps/x/services/");
				assertThat(catalogRange(context, "go-zero")).isEqualTo("zero/");
				assertThat(catalogRange(context, "grpc-naming")).isEmpty();
			});
	}

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			kitex       | kitex/registry-etcd/
			go-core     | /go-core//x
			gone        | a b
			kratos      | `/micro	services`
			go-zero     | /
			""")
	void invalidPrefixesAreRejectedNamingTheProperty(String format, String prefix) {
		this.runner.withPropertyValues("etcd.formats." + format + ".prefix=" + prefix.replace("\\t", "\t"))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("etcd.formats." + format + ".prefix");
			});
	}

	@Test
	void withoutJacksonOnlyThePlainFormatsAreThere() {
		this.runner.withClassLoader(new FilteredClassLoader(ObjectMapper.class))
			.run((context) -> assertThat(names(context)).containsExactlyInAnyOrder("gokit", "go-zero"));
	}

	private static List<String> names(AssertableApplicationContext context) {
		return context.getBeansOfType(PolyglotFormats.class)
			.values()
			.stream()
			.map(PolyglotFormats::names)
			.flatMap(Collection::stream)
			.toList();
	}

	private static String catalogRange(AssertableApplicationContext context, String name) {
		RegistryFormat format = context.getBeansOfType(PolyglotFormats.class)
			.values()
			.stream()
			.map((formats) -> formats.get(name))
			.filter((candidate) -> candidate != null)
			.findFirst()
			.orElseThrow();
		return format.layout().catalogRanges().get(0).key().toString(StandardCharsets.UTF_8);
	}

}
