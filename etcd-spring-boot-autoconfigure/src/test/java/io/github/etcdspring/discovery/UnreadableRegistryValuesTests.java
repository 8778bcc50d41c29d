package io.github.etcdspring.discovery;

import java.time.Duration;
import java.util.List;

import io.etcd.jetcd.Client;
import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.ServiceInstance;

import static io.github.etcdspring.discovery.CatalogFixture.instance;
import static io.github.etcdspring.discovery.CatalogFixture.putRaw;
import static io.github.etcdspring.discovery.CatalogFixture.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Registry values written by other tools that the codec cannot read, through the catalog
 * against real etcd: each is skipped with a warning naming its key, and the readable
 * instances are still served.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnreadableRegistryValuesTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client writer = etcd.client();

	@AutoClose
	private CatalogFixture fixture;

	@Test
	void nullMetadataMissingHostAndNonObjectsAreSkippedWithAWarningNamingTheKey(CapturedOutput output) {
		register(this.writer, instance("billing", "good", 8080, "UP"));
		putRaw(this.writer, "services/billing/null-metadata",
				"{\"host\":\"h\",\"port\":1,\"metadata\":{\"zone\":null}}");
		this.fixture = new CatalogFixture(etcd.newClient(), false, Duration.ofMillis(200)).start();
		assertThat(ids(this.fixture.catalog.getInstances("billing"))).containsExactly("good");
		assertThat(output).contains(
				"Skipping etcd key 'services/billing/null-metadata' of the service registry: 'metadata' entry 'zone' is null");

		putRaw(this.writer, "services/billing/no-host", "{\"port\":1}");
		putRaw(this.writer, "services/billing/array", "[{\"host\":\"h\",\"port\":1}]");
		putRaw(this.writer, "services/billing/number", "42");
		register(this.writer, instance("billing", "later", 8081, "UP"));
		await().atMost(BOUND)
			.until(() -> ids(this.fixture.catalog.getInstances("billing")).equals(List.of("good", "later")));
		await().atMost(BOUND)
			.untilAsserted(() -> assertThat(output)
				.contains("Skipping etcd key 'services/billing/no-host' of the service registry: 'host' is missing")
				.contains("Skipping etcd key 'services/billing/array' of the service registry: the value is a JSON "
						+ "array, not an object")
				.contains("Skipping etcd key 'services/billing/number' of the service registry: the value is a JSON "
						+ "number, not an object"));
	}

	private static List<String> ids(List<? extends ServiceInstance> instances) {
		return instances.stream().map(ServiceInstance::getInstanceId).toList();
	}

}
