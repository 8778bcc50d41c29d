package io.github.etcdspring.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.etcdspring.discovery.CatalogFixture.instance;
import static io.github.etcdspring.discovery.CatalogFixture.register;
import static io.github.etcdspring.discovery.CatalogFixture.remove;
import static io.github.etcdspring.discovery.EtcdServiceCatalogTests.ids;
import static io.github.etcdspring.test.EtcdKeys.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EtcdServiceCatalogFaultTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember();

	private Client writer;

	private CatalogFixture fixture;

	@BeforeEach
	void cleanRegistry() {
		this.writer = etcd.newClient();
		await(this.writer.getKVClient()
			.delete(CatalogFixture.LAYOUT.registryPrefix(), DeleteOption.builder().isPrefix(true).build()));
	}

	@AfterEach
	void close() {
		if (this.fixture != null) {
			this.fixture.close();
		}
		this.writer.close();
	}

	@Test
	void compactionDuringADisconnectReloadsAndAppliesOnlyTheDifference() {
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0))) {
			register(this.writer, instance("payments", "stays", 1, "UP"));
			register(this.writer, instance("payments", "goes", 2, "UP"));
			register(this.writer, instance("payments", "changes", 3, "UP"));
			this.fixture = new CatalogFixture(Client.builder().endpoints(proxy.endpoint()).build(), false,
					Duration.ofMillis(300))
				.start();
			List<String> events = new CopyOnWriteArrayList<>();
			this.fixture.catalog.subscribe(null,
					(event) -> events.add(event.type() + " " + event.instance().getInstanceId()));

			proxy.cut();
			remove(this.writer, "payments", "goes");
			register(this.writer, instance("payments", "changes", 3, "OUT_OF_SERVICE"));
			register(this.writer, instance("payments", "comes", 4, "UP"));
			long revision = await(this.writer.getKVClient().get(CatalogFixture.LAYOUT.registryPrefix()))
				.getHeader()
				.getRevision();
			await(this.writer.getKVClient().compact(revision, CompactOption.builder().withCompactPhysical(true).build()));
			assertThat(ids(this.fixture.catalog.getInstances("payments"))).as("served from memory while cut off")
				.containsExactly("changes", "goes", "stays");
			proxy.restore();

			await().atMost(BOUND)
				.until(() -> ids(this.fixture.catalog.getInstances("payments")).equals(List.of("comes", "stays")));
			// listeners are told right after the copy changed
			await().atMost(BOUND).until(() -> events.size() >= 3);
			assertThat(events).containsExactlyInAnyOrder("REMOVED goes", "MODIFIED changes", "ADDED comes");
			assertThat(this.fixture.contents()).isEqualTo(CatalogFixture.freshRead(this.writer));
		}
	}

	@Test
	void changesMadeWhileDisconnectedAreAppliedFromTheLastRevisionSeen() {
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0))) {
			this.fixture = new CatalogFixture(Client.builder().endpoints(proxy.endpoint()).build(), false,
					Duration.ofMillis(300))
				.start();
			List<String> events = new CopyOnWriteArrayList<>();
			this.fixture.catalog.subscribe(null,
					(event) -> events.add(event.type() + " " + event.instance().getInstanceId()));
			proxy.cut();
			register(this.writer, instance("payments", "a", 1, "UP"));
			register(this.writer, instance("payments", "b", 2, "UP"));
			remove(this.writer, "payments", "a");
			proxy.restore();
			await().atMost(BOUND).until(() -> ids(this.fixture.catalog.getInstances("payments")).equals(List.of("b")));
			await().atMost(BOUND).until(() -> events.size() == 3);
			assertThat(events).containsExactly("ADDED a", "ADDED b", "REMOVED a");
		}
	}

	@Test
	void etcdRestartedWithoutItsDataIsReadAgain() {
		register(this.writer, instance("payments", "old", 1, "UP"));
		for (int i = 0; i < 20; i++) {
			register(this.writer, instance("payments", "old", 1, (i % 2 == 0) ? "UP" : "DOWN"));
		}
		register(this.writer, instance("payments", "old", 1, "UP"));
		this.fixture = new CatalogFixture(etcd.newClient(), false, Duration.ofMillis(300)).start();
		assertThat(ids(this.fixture.catalog.getInstances("payments"))).containsExactly("old");

		etcd.restartWithoutData();
		try (Client fresh = etcd.newClient()) {
			register(fresh, instance("payments", "new", 2, "UP"));
			await().atMost(BOUND)
				.until(() -> ids(this.fixture.catalog.getInstances("payments")).equals(List.of("new")));
			// the watch follows the new cluster's revisions, which start again from 1
			register(fresh, instance("payments", "newer", 3, "UP"));
			remove(fresh, "payments", "new");
			await().atMost(BOUND)
				.until(() -> ids(this.fixture.catalog.getInstances("payments")).equals(List.of("newer")));
			assertThat(this.fixture.contents()).isEqualTo(CatalogFixture.freshRead(fresh));
		}
	}

	@Test
	void theCopyEqualsAFreshReadAfterAThousandRandomChangesAcrossEtcdRestarts() {
		this.fixture = new CatalogFixture(etcd.newClient(), true, Duration.ofMillis(200)).start();
		Random random = new Random(42);
		String[] statuses = { "UP", "DOWN", "OUT_OF_SERVICE", "STARTING" };
		int changes = 0;
		long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
		while (changes < 1000 && System.nanoTime() < deadline) {
			if (changes == 300 || changes == 700) {
				etcd.kill(0);
				etcd.restart(0);
			}
			String service = "svc" + random.nextInt(5);
			String id = "i" + random.nextInt(40);
			try {
				if (random.nextInt(4) == 0) {
					remove(this.writer, service, id);
				}
				else {
					register(this.writer, instance(service, id, 1000 + random.nextInt(1000),
							statuses[random.nextInt(statuses.length)]));
				}
				changes++;
			}
			catch (RuntimeException ex) {
				// etcd is restarting: try another change
			}
		}
		assertThat(changes).isEqualTo(1000);
		await().atMost(BOUND).until(() -> this.fixture.contents().equals(CatalogFixture.freshRead(this.writer)));
	}

}
