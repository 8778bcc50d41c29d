package io.github.etcdspring.client;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EtcdEndpointsTests {

	@Test
	void hostAndPortMeansHttpWithoutSslBundle() {
		assertThat(EtcdEndpoints.parse(List.of("10.0.0.1:2379", "etcd-2:32379"), false))
			.containsExactly(URI.create("http://10.0.0.1:2379"), URI.create("http://etcd-2:32379"));
	}

	@Test
	void hostAndPortMeansHttpsWithSslBundle() {
		assertThat(EtcdEndpoints.parse(List.of("10.0.0.1:2379"), true))
			.containsExactly(URI.create("https://10.0.0.1:2379"));
	}

	@Test
	void explicitSchemesAreKept() {
		assertThat(EtcdEndpoints.parse(List.of("https://a:1", "http://b:2"), false))
			.containsExactly(URI.create("https://a:1"), URI.create("http://b:2"));
	}

	@Test
	void missingPortMeansTheEtcdClientPort() {
		assertThat(EtcdEndpoints.parse(List.of("http://etcd.local", "etcd.local"), false))
			.containsExactly(URI.create("http://etcd.local:2379"), URI.create("http://etcd.local:2379"));
	}

	@Test
	void bracketedIpv6AddressesAreAccepted() {
		assertThat(EtcdEndpoints.parse(List.of("[::1]:2379", "https://[::1]:2380/"), false))
			.containsExactly(URI.create("http://[::1]:2379"), URI.create("https://[::1]:2380"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "ftp://etcd:2379", "http://etcd:port", "::1:2379", "http://etcd:2379/v3",
			"http://etcd:2379?x=1", "  ", "etcd:2379 x" })
	void malformedEntryIsNamedByIndex(String malformed) {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> EtcdEndpoints.parse(Arrays.asList("http://good:2379", malformed), false))
			.satisfies((ex) -> {
				assertThat(ex.getName()).isEqualTo("etcd.endpoints[1]");
				assertThat(ex.getValue()).isEqualTo(malformed);
				assertThat(ex.getMessage()).contains("etcd.endpoints[1]");
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://payments:s3cret@etcd:2379", "payments:s3cret@etcd:2379",
			"payments:s3cret@etcd:port", "ftp://payments:s3cret@etcd:2379/v3" })
	void anEntryWithUserInfoIsRejectedWithoutShowingThePassword(String withPassword) {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> EtcdEndpoints.parse(List.of(withPassword), false))
			.satisfies((ex) -> {
				assertThat(ex.getName()).isEqualTo("etcd.endpoints[0]");
				assertThat(ex.getMessage()).contains("etcd.endpoints[0]")
					.contains("etcd.password")
					.doesNotContain("s3cret");
				assertThat(String.valueOf(ex.getValue())).contains("etcd:").doesNotContain("s3cret");
			});
	}

	@Test
	void emptyListIsRejected() {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> EtcdEndpoints.parse(List.of(), false))
			.withMessageContaining("etcd.endpoints")
			.withMessageContaining("At least one");
	}

}
