package io.github.etcdspring.format;

import java.nio.charset.StandardCharsets;

import io.etcd.jetcd.ByteSequence;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NativeKeyLayoutTests {

	private final NativeKeyLayout layout = new NativeKeyLayout("/services/");

	@Test
	void keysAreServiceThenInstanceUnderThePrefix() {
		assertThat(text(this.layout.instanceKey("payments", "10.0.0.5:8080")))
			.isEqualTo("services/payments/10.0.0.5:8080");
		assertThat(text(this.layout.servicePrefix("payments"))).isEqualTo("services/payments/");
		assertThat(text(this.layout.registryPrefix())).isEqualTo("services/");
	}

	@Test
	void parsesInstanceKeysWhoseInstanceIdMayHoldSlashes() {
		assertThat(this.layout.parse(bytes("services/payments/10.0.0.5:8080")))
			.isEqualTo(new RegistryKeyLayout.InstanceKey("payments", "10.0.0.5:8080"));
		assertThat(this.layout.parse(bytes("services/payments/a/b")))
			.isEqualTo(new RegistryKeyLayout.InstanceKey("payments", "a/b"));
	}

	@Test
	void otherKeysAreNotInstances() {
		assertThat(this.layout.parse(bytes("services/payments"))).isNull();
		assertThat(this.layout.parse(bytes("services/payments/"))).isNull();
		assertThat(this.layout.parse(bytes("services//x"))).isNull();
		assertThat(this.layout.parse(bytes("config/x/y"))).isNull();
	}

	@Test
	void serviceIdsCannotHoldSlashes() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.layout.instanceKey("a/b", "i"))
			.withMessageContaining("'/'");
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	private static String text(ByteSequence bytes) {
		return bytes.toString(StandardCharsets.UTF_8);
	}

}
