package io.github.etcdspring.discovery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.NativeKeyLayout;
import io.github.etcdspring.format.RegistryFormat;
import io.github.etcdspring.format.RegistryKeyLayout;
import io.github.etcdspring.format.polyglot.PolyglotFormat;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.watch.KeyRange;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cloud.client.ServiceInstance;

import static io.github.etcdspring.discovery.CatalogFixture.CODEC;
import static io.github.etcdspring.discovery.CatalogFixture.instance;
import static io.github.etcdspring.discovery.CatalogFixture.putRaw;
import static io.github.etcdspring.test.EtcdKeys.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The catalog reads and watches every catalogue range of its layout, not only the native
 * one.
 */
class EtcdServiceCatalogLayoutTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client writer = etcd.client();

	@Test
	void aLayoutOfTwoRangesIsReadAtOneRevisionAndWatchedWhole() {
		TwoRoots layout = new TwoRoots(new NativeKeyLayout("services"), new NativeKeyLayout("legacy"));
		put(layout.first, instance("payments", "a", 8080, "UP"));
		put(layout.second, instance("payments", "b", 8081, "UP"));
		putRaw(this.writer, "other/payments/c", "{\"host\":\"127.0.0.1\",\"port\":8082}");
		EtcdServiceCatalog catalog = new EtcdServiceCatalog(etcd.newClient(), layout, CODEC, (event) -> {
		}, false, Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofMillis(800), true);
		try {
			catalog.start();
			assertThat(ids(catalog.getInstances("payments"))).containsExactly("a", "b");

			put(layout.second, instance("orders", "x", 9090, "UP"));
			await().atMost(BOUND).until(() -> ids(catalog.getInstances("orders")).equals(List.of("x")));
		}
		finally {
			catalog.stop();
			catalog.destroy();
		}
	}

	@Test
	void aRangeAtTheRootOfTheKeyspaceIsReadWhole() {
		RegistryFormat gone = PolyglotFormat.GONE.create("");
		EtcdServiceInstance instance = new EtcdServiceInstance("user-center", "x", "192.168.1.10", 9090, false, "UP",
				100, Map.of("grpc", "true"));
		await(this.writer.getKVClient()
			.put(gone.layout().instanceKey(instance, 0), ByteSequence.from(gone.codec().encode(instance))));
		putRaw(this.writer, "services/payments/a", "{}");
		try (Client reader = etcd.newClient()) {
			RegistryReader.RegistryRead read = new RegistryReader(reader, gone.layout().catalogRanges(),
					Duration.ofSeconds(5))
				.readAll();
			assertThat(read.keyValues()).extracting((keyValue) -> keyValue.getKey().toString(StandardCharsets.UTF_8))
				.containsExactly("services/payments/a", "user-center-192.168.1.10:9090");
		}
	}

	private void put(NativeKeyLayout layout, EtcdServiceInstance instance) {
		await(this.writer.getKVClient()
			.put(layout.instanceKey(instance, 0), ByteSequence.from(CODEC.encode(instance))));
	}

	private static List<String> ids(List<ServiceInstance> instances) {
		return instances.stream().map(ServiceInstance::getInstanceId).toList();
	}

	/**
	 * The native layout under two prefixes at once.
	 */
	private record TwoRoots(NativeKeyLayout first, NativeKeyLayout second) implements RegistryKeyLayout {

		@Override
		public List<KeyRange> catalogRanges() {
			return List.of(KeyRange.prefix(this.first.registryPrefix()), KeyRange.prefix(this.second.registryPrefix()));
		}

		@Override
		public KeyRange serviceRange(String serviceId) {
			return this.first.serviceRange(serviceId);
		}

		@Override
		public @Nullable InstanceKey parse(ByteSequence key) {
			InstanceKey parsed = this.first.parse(key);
			return (parsed != null) ? parsed : this.second.parse(key);
		}

		@Override
		public ByteSequence instanceKey(EtcdServiceInstance instance, long leaseId) {
			return this.first.instanceKey(instance, leaseId);
		}

	}

}
