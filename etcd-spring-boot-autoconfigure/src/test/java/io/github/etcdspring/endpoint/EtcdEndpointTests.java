package io.github.etcdspring.endpoint;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class EtcdEndpointTests {

	@Test
	void showsEveryPartInOrderAndOnePartByName() {
		EtcdEndpoint endpoint = new EtcdEndpoint(List.of(part("cluster", "c"), part("registrations", "r")), List.of());
		assertThat(endpoint.parts()).containsExactly(Map.entry("cluster", "c"), Map.entry("registrations", "r"));
		assertThat(endpoint.part("registrations")).isEqualTo("r");
	}

	@Test
	void anUnknownPartOrActionIsNotFound() {
		EtcdEndpoint endpoint = new EtcdEndpoint(List.of(part("cluster", "c")), List.of(action("deregister", "done")));
		assertThat(endpoint.part("deregister")).isNull();
		assertThat(endpoint.perform("cluster")).isNull();
		assertThat(endpoint.perform("deregister")).isEqualTo("done");
	}

	@Test
	void twoContributionsWithOneNameAreRejectedNamingIt() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new EtcdEndpoint(List.of(part("locks", "a")), List.of(action("locks", "b"))))
			.withMessageContaining("'locks'");
	}

	private static EtcdEndpointPart part(String name, Object description) {
		return new EtcdEndpointPart() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public Object describe() {
				return description;
			}

		};
	}

	private static EtcdEndpointAction action(String name, Object result) {
		return new EtcdEndpointAction() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public Object perform() {
				return result;
			}

		};
	}

}
