package io.github.etcdspring.coordination;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class CoordinationEndpointPartTests {

	// no lease is ever granted: the client is not used
	private final CoordinationSession session = new CoordinationSession(null, 2, Duration.ofSeconds(1));

	@Test
	void showsTheSessionThenEachSectionInOrder() {
		CoordinationEndpointPart part = new CoordinationEndpointPart(this.session,
				List.of(section("locks", "l"), section("elections", "e")));
		assertThat(part.name()).isEqualTo("coordination");
		assertThat(part.describe()).containsOnlyKeys("session", "locks", "elections");
		assertThat(part.describe().keySet()).containsExactly("session", "locks", "elections");
		assertThat(part.describe().get("session")).isEqualTo(this.session.describe());
		assertThat(part.describe().get("elections")).isEqualTo("e");
	}

	@Test
	void twoSectionsWithOneNameOrASectionNamedSessionAreRejectedNamingIt() {
		assertThatIllegalStateException().isThrownBy(
				() -> new CoordinationEndpointPart(this.session, List.of(section("locks", "a"), section("locks", "b"))))
			.withMessageContaining("'locks'");
		assertThatIllegalStateException()
			.isThrownBy(() -> new CoordinationEndpointPart(this.session, List.of(section("session", "a"))))
			.withMessageContaining("'session'");
	}

	private static CoordinationEndpointSection section(String name, Object description) {
		return new CoordinationEndpointSection() {

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

}
