package io.github.etcdspring.discovery;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WarnedKeysTests {

	@Test
	void aValueIsReportedOncePerRevision() {
		WarnedKeys warned = new WarnedKeys(10);
		assertThat(warned.firstReport("services/a/1", 5)).isTrue();
		assertThat(warned.firstReport("services/a/1", 5)).isFalse();
		assertThat(warned.firstReport("services/a/1", 6)).as("a new bad value").isTrue();
	}

	@Test
	void aFloodOfMalformedKeysKeepsAtMostTheCapacity() {
		WarnedKeys warned = new WarnedKeys(100);
		for (int i = 0; i < 10_000; i++) {
			assertThat(warned.firstReport("services/flood/" + i, i)).isTrue();
		}
		assertThat(warned.size()).isEqualTo(100);
		assertThat(warned.firstReport("services/flood/9999", 9999)).as("recent keys are remembered").isFalse();
		assertThat(warned.firstReport("services/flood/0", 0)).as("the oldest went first").isTrue();
	}

	@Test
	void aKeyReportedAgainIsKeptOverOlderOnes() {
		WarnedKeys warned = new WarnedKeys(2);
		warned.firstReport("a", 1);
		warned.firstReport("b", 1);
		warned.firstReport("a", 1);
		warned.firstReport("c", 1);
		assertThat(warned.firstReport("a", 1)).isFalse();
		assertThat(warned.firstReport("b", 1)).isTrue();
	}

}
