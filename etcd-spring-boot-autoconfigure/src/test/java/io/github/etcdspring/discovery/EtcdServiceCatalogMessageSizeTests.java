package io.github.etcdspring.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.etcd.jetcd.Client;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.TcpProxy;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.etcdspring.discovery.CatalogFixture.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * A registry, or a batch of changes, larger than the client's
 * {@code etcd.max-inbound-message-size}.
 */
class EtcdServiceCatalogMessageSizeTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	private static final int LIMIT = 64 * 1024;

	private static final String PADDING = "x".repeat(1024);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client writer = etcd.client();

	@AutoClose
	private CatalogFixture fixture;

	@Test
	void aRegistryLargerThanTheInboundLimitIsReadInPages() {
		for (int i = 0; i < 200; i++) {
			register(this.writer, padded("large", "i" + i));
		}
		this.fixture = new CatalogFixture(limitedClient(etcd.endpoints().get(0).toString()), false,
				Duration.ofMillis(200))
			.start();
		assertThat(this.fixture.catalog.getInstances("large")).hasSize(200);
		assertThat(this.fixture.contents()).isEqualTo(CatalogFixture.freshRead(this.writer));
	}

	@Test
	void aKeyLargerThanTheInboundLimitFailsNamingTheProperty() {
		EtcdServiceInstance huge = new EtcdServiceInstance("huge", "one", "127.0.0.1", 1, false, "UP", 1,
				Map.of("padding", "y".repeat(LIMIT * 2)));
		register(this.writer, huge);
		this.fixture = new CatalogFixture(limitedClient(etcd.endpoints().get(0).toString()), false,
				Duration.ofMillis(200));
		assertThatIllegalStateException().isThrownBy(this.fixture::start)
			.withMessageContaining("etcd.max-inbound-message-size")
			.withMessageContaining("services/huge/");
	}

	@Test
	void aCatchUpBatchLargerThanTheInboundLimitIsReplacedByAPagedRead() {
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0))) {
			register(this.writer, padded("batch", "before"));
			this.fixture = new CatalogFixture(limitedClient(proxy.endpoint().toString()), false, Duration.ofMillis(200))
				.start();
			List<String> events = this.fixture.recordEvents();
			proxy.cut();
			// about 150 KB of changes in 150 revisions, which etcd sends as one catch-up
			// batch
			for (int i = 0; i < 150; i++) {
				register(this.writer, padded("batch", "i" + i));
			}
			proxy.restore();
			await().atMost(BOUND).until(() -> events.size() >= 150);
			assertThat(this.fixture.contents()).isEqualTo(CatalogFixture.freshRead(this.writer));
			assertThat(events).hasSize(150).doesNotHaveDuplicates();
			// and the watch follows later changes
			register(this.writer, padded("batch", "after"));
			await().atMost(BOUND).until(() -> this.fixture.catalog.getInstances("batch").size() == 152);
		}
	}

	private static EtcdServiceInstance padded(String service, String id) {
		return new EtcdServiceInstance(service, id, "127.0.0.1", 1, false, "UP", 1, Map.of("padding", PADDING));
	}

	private static Client limitedClient(String endpoint) {
		return Client.builder().endpoints(endpoint).maxInboundMessageSize(LIMIT).build();
	}

}
