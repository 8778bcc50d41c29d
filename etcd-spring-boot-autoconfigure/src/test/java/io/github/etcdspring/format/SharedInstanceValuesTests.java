package io.github.etcdspring.format;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SharedInstanceValuesTests {

	private final SharedInstanceValues shared = new SharedInstanceValues();

	@Test
	void equalServiceIdsAndMetadataAreOneInstanceAcrossInstances() {
		EtcdServiceInstance first = this.shared.share(instance(new String("payments"), "a", "zone-1"), "native");
		EtcdServiceInstance second = this.shared.share(instance(new String("payments"), "b", "zone-1"), "native");
		assertThat(second.getServiceId()).isSameAs(first.getServiceId());
		assertThat(second.getMetadata()).isSameAs(first.getMetadata());
		assertThat(second.getInstanceId()).isEqualTo("b");
	}

	@Test
	void differentMetadataSharesItsEqualKeysAndValues() {
		EtcdServiceInstance first = this.shared.share(instance("payments", "a", "zone-1"), "native");
		EtcdServiceInstance second = this.shared.share(instance("payments", "b", "zone-2"), "native");
		assertThat(second.getMetadata()).isNotSameAs(first.getMetadata());
		assertThat(second.getMetadata().get("version")).isSameAs(first.getMetadata().get("version"));
		assertThat(second.getMetadata().get(EtcdServiceInstance.WEIGHT_METADATA_KEY))
			.isSameAs(first.getMetadata().get(EtcdServiceInstance.WEIGHT_METADATA_KEY));
	}

	@Test
	void theSharedInstanceEqualsTheDecodedOneWithItsFormatAndAnswersTheSameLookups() {
		EtcdServiceInstance decoded = instance("payments", "a", "zone-1");
		EtcdServiceInstance shared = this.shared.share(decoded, "kitex");
		Map<String, String> expected = Map.of("version", "1.4.2", "zone", "zone-1", "weight", "3", "etcd.format",
				"kitex");
		assertThat(shared.getMetadata()).isEqualTo(expected);
		assertThat(shared.getMetadata().get("zone")).isEqualTo("zone-1");
		assertThat(shared.getMetadata().get("unknown")).isNull();
		assertThat(shared.getRegisteredMetadata()).containsEntry("etcd.format", "kitex").doesNotContainKey("weight");
		assertThat(shared).isEqualTo(new EtcdServiceInstance("payments", "a", "10.0.0.1", 8080, true,
				InstanceStatus.DOWN, 3, Map.of("version", "1.4.2", "zone", "zone-1", "etcd.format", "kitex")));
		assertThat(shared.getWeight()).isEqualTo(3);
		assertThat(shared.isSecure()).isTrue();
		assertThat(shared.getHost()).isEqualTo("10.0.0.1");
		assertThat(shared.getPort()).isEqualTo(8080);
	}

	@Test
	void aFormatAlreadyInTheMetadataIsReplaced() {
		EtcdServiceInstance decoded = new EtcdServiceInstance("payments", "a", "10.0.0.1", 8080, false,
				InstanceStatus.UP, 1, Map.of("etcd.format", "other"));
		assertThat(this.shared.share(decoded, "native").getMetadata()).containsEntry("etcd.format", "native");
	}

	@Test
	void aFullPoolStartsAgainAndStillReturnsEqualInstances() {
		SharedInstanceValues small = new SharedInstanceValues(2);
		for (int i = 0; i < 10; i++) {
			EtcdServiceInstance decoded = instance("service-" + i, "a", "zone-" + i);
			EtcdServiceInstance shared = small.share(decoded, "native");
			assertThat(shared.getServiceId()).isEqualTo("service-" + i);
			assertThat(shared.getMetadata()).containsEntry("zone", "zone-" + i).containsEntry("etcd.format", "native");
		}
	}

	@Test
	void aCapacityBelowOneIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SharedInstanceValues(0))
			.withMessage("capacity must be positive, was 0");
	}

	@Test
	void statusesAndSmallWeightsAreTheSameStringsInEveryInstance() {
		EtcdServiceInstance first = new EtcdServiceInstance("payments", "a", "10.0.0.1", 8080, false, new String("UP"),
				1, Map.of());
		EtcdServiceInstance second = new EtcdServiceInstance("payments", "b", "10.0.0.2", 8080, false, new String("UP"),
				1, Map.of());
		assertThat(first.getStatus()).isSameAs(InstanceStatus.UP).isSameAs(second.getStatus());
		assertThat(first.getMetadata().get("weight")).isSameAs(second.getMetadata().get("weight"));
		EtcdServiceInstance heavy = new EtcdServiceInstance("payments", "c", "10.0.0.3", 8080, false, "CUSTOM", 1000,
				Map.of());
		assertThat(heavy.getMetadata()).containsEntry("weight", "1000");
		assertThat(heavy.getStatus()).isEqualTo("CUSTOM");
	}

	private static EtcdServiceInstance instance(String serviceId, String instanceId, String zone) {
		return new EtcdServiceInstance(serviceId, instanceId, "10.0.0.1", 8080, true, InstanceStatus.DOWN, 3,
				Map.of("version", new String("1.4.2"), "zone", new String(zone)));
	}

}
