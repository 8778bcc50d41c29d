package io.github.etcdspring.registry;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ApplicationRegistrationsTests {

	private final ApplicationRegistrations registrations = new ApplicationRegistrations();

	private final List<String> calls = new ArrayList<>();

	@Test
	void whileDrainedARegistrationIsRememberedNotWrittenAndWrittenOnResume() {
		EtcdRegistration first = registration("first");
		this.registrations.register(first, this::write, this::remove);
		assertThat(this.registrations.drain((all) -> all.forEach(this::remove))).isTrue();
		assertThat(this.registrations.drain((all) -> all.forEach(this::remove))).isFalse();
		EtcdRegistration second = registration("second");
		assertThat(this.registrations.register(second, this::write, this::remove)).isFalse();
		assertThat(this.registrations.isDrained()).isTrue();
		assertThat(this.registrations.resume(this::write)).isTrue();
		assertThat(this.registrations.resume(this::write)).isFalse();
		assertThat(this.calls).containsExactly("write first", "remove first", "write first", "write second");
	}

	@Test
	void aDrainThatComesWhileARegistrationIsWrittenRemovesItAfterTheWrite() {
		EtcdRegistration racing = registration("racing");
		boolean written = this.registrations.register(racing, (registration) -> {
			write(registration);
			this.registrations.drain((all) -> all.forEach(this::remove));
		}, this::remove);
		assertThat(written).isFalse();
		assertThat(this.calls).containsExactly("write racing", "remove racing", "remove racing");
	}

	@Test
	void aRegistrationThatFailsToBeWrittenIsForgotten() {
		EtcdRegistration failing = registration("failing");
		assertThatIllegalStateException().isThrownBy(() -> this.registrations.register(failing, (registration) -> {
			throw new IllegalStateException("unreachable");
		}, this::remove));
		assertThat(this.registrations.all()).isEmpty();
	}

	private void write(EtcdRegistration registration) {
		this.calls.add("write " + registration.getInstanceId());
	}

	private void remove(EtcdRegistration registration) {
		this.calls.add("remove " + registration.getInstanceId());
	}

	private static EtcdRegistration registration(String instanceId) {
		EtcdRegistration registration = new EtcdRegistration("drained", "127.0.0.1");
		registration.setInstanceId(instanceId);
		registration.setPort(8080);
		return registration;
	}

}
