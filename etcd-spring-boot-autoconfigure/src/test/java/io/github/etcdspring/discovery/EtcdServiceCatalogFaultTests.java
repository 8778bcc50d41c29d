package io.github.etcdspring.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.CompactOption;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.TcpProxy;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.github.etcdspring.discovery.CatalogFixture.instance;
import static io.github.etcdspring.discovery.CatalogFixture.register;
import static io.github.etcdspring.discovery.CatalogFixture.remove;
import static io.github.etcdspring.discovery.EtcdServiceCatalogTests.ids;
import static io.github.etcdspring.test.EtcdKeys.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class EtcdServiceCatalogFaultTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client writer = etcd.client();

	@AutoClose
	private CatalogFixture fixture;

	@Test
	void compactionDuringADisconnectReloadsAndAppliesOnlyTheDifference() {
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0))) {
			register(this.writer, instance("payments", "stays", 1, "UP"));
			register(this.writer, instance("payments", "goes", 2, "UP"));
			register(this.writer, instance("payments", "changes", 3, "UP"));
			this.fixture = new CatalogFixture(Client.builder().endpoints(proxy.endpoint()).build(), false,
					Duration.ofMillis(300))
				.start();
			List<String> events = this.fixture.recordEvents();

			proxy.cut();
			remove(this.writer, "payments", "goes");
			register(this.writer, instance("payments", "changes", 3, "OUT_OF_SERVICE"));
			register(this.writer, instance("payments", "comes", 4, "UP"));
			long revision = await(this.writer.getKVClient().get(CatalogFixture.LAYOUT.registryPrefix())).getHeader()
				.getRevision();
			await(this.writer.getKVClient()
				.compact(revision, CompactOption.builder().withCompactPhysical(true).build()));
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
			List<String> events = this.fixture.recordEvents();
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

	/**
	 * A thousand random changes with etcd killed and restarted twice, then a hundred more
	 * on a recreated cluster. Every event the catalog emits is checked against etcd's
	 * history, recorded by an independent raw watch: an event missed, applied twice, or
	 * out of order fails.
	 */
	@Test
	void everyEventFollowsEtcdsHistoryAcrossRestartsAndARecreatedCluster(CapturedOutput output) {
		try (Client recorder = etcd.newClient()) {
			this.fixture = new CatalogFixture(etcd.newClient(), true, Duration.ofMillis(200)).start();
			List<EtcdServiceEvent> emitted = new CopyOnWriteArrayList<>();
			this.fixture.catalog.subscribe(null, emitted::add);
			Random random = new Random(42);
			try (EtcdHistory history = new EtcdHistory(recorder, this.fixture.catalog.getRevision() + 1)) {
				assertThat(randomChanges(this.writer, random, 1000, Duration.ofMinutes(2), (count) -> {
					if (count == 300 || count == 700) {
						etcd.kill(0);
						etcd.restart(0);
					}
				})).isEqualTo(1000);
				awaitEmittedAndRecorded(this.writer, emitted, history, "restarts");
				// etcd kept its data: every revision is seen one by one
				history.assertFollowedBy(emitted, new TreeMap<>(), (batch, skipped) -> false);
			}

			Map<String, EtcdServiceInstance> beforeRecreation = this.fixture.contents();
			int emittedBefore = emitted.size();
			etcd.restartWithoutData();
			try (Client fresh = etcd.newClient(); EtcdHistory history = new EtcdHistory(recorder, 1)) {
				assertThat(randomChanges(fresh, random, 100, Duration.ofMinutes(1), (count) -> {
				})).isEqualTo(100);
				awaitEmittedAndRecorded(fresh, emitted, history, "recreated");
				List<EtcdServiceEvent> afterRecreation = List.copyOf(emitted.subList(emittedBefore, emitted.size()));
				long reloadRevision = afterRecreation.get(0).revision();
				// the first events are the difference read from the recreated cluster
				history.assertFollowedBy(afterRecreation, new TreeMap<>(beforeRecreation),
						(batch, skipped) -> batch == reloadRevision);
				assertThat(this.fixture.contents()).isEqualTo(CatalogFixture.freshRead(fresh));
			}
			assertThat(output).contains("went back");
		}
	}

	/**
	 * Random changes, some of them made while the catalog is cut off, and compacted
	 * before it comes back: the catalog reads the registry again and emits the
	 * difference; all other events follow etcd's history.
	 */
	@Test
	void everyEventFollowsEtcdsHistoryAcrossACompaction(CapturedOutput output) {
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0)); Client recorder = etcd.newClient()) {
			this.fixture = new CatalogFixture(Client.builder().endpoints(proxy.endpoint()).build(), true,
					Duration.ofMillis(200))
				.start();
			List<EtcdServiceEvent> emitted = new CopyOnWriteArrayList<>();
			this.fixture.catalog.subscribe(null, emitted::add);
			long[] compacted = new long[1];
			try (EtcdHistory history = new EtcdHistory(recorder, this.fixture.catalog.getRevision() + 1)) {
				assertThat(randomChanges(this.writer, new Random(7), 300, Duration.ofMinutes(1), (count) -> {
					if (count == 100) {
						proxy.cut();
					}
					if (count == 140) {
						compacted[0] = revisionOf(this.writer);
						await(this.writer.getKVClient()
							.compact(compacted[0], CompactOption.builder().withCompactPhysical(true).build()));
						proxy.restore();
					}
				})).isEqualTo(300);
				awaitEmittedAndRecorded(this.writer, emitted, history, "compaction");
				long reloadRevision = emitted.stream()
					.mapToLong(EtcdServiceEvent::revision)
					.filter((revision) -> revision >= compacted[0])
					.findFirst()
					.orElseThrow();
				history.assertFollowedBy(emitted, new TreeMap<>(), (batch, skipped) -> batch == reloadRevision);
			}
			assertThat(output).contains("was compacted");
		}
	}

	/**
	 * Make random registrations and removals, bounded in count and time; a change that
	 * fails while etcd restarts is replaced by another one.
	 * @return the number of changes made
	 */
	private static int randomChanges(Client writer, Random random, int count, Duration bound,
			IntConsumer beforeChange) {
		String[] statuses = { "UP", "DOWN", "OUT_OF_SERVICE", "STARTING" };
		int changes = 0;
		int faultsDoneBefore = -1;
		long deadline = System.nanoTime() + bound.toNanos();
		while (changes < count && System.nanoTime() < deadline) {
			if (changes > faultsDoneBefore) {
				beforeChange.accept(changes);
				faultsDoneBefore = changes;
			}
			String service = "svc" + random.nextInt(5);
			String id = "i" + random.nextInt(40);
			try {
				if (random.nextInt(4) == 0) {
					remove(writer, service, id);
				}
				else {
					register(writer, instance(service, id, 1000 + random.nextInt(1000),
							statuses[random.nextInt(statuses.length)]));
				}
				changes++;
			}
			catch (RuntimeException ex) {
				// etcd is restarting: try another change
			}
		}
		return changes;
	}

	/**
	 * Write a marker and wait until both the catalog and the raw history have it:
	 * everything before it has been emitted and recorded.
	 */
	private static void awaitEmittedAndRecorded(Client writer, List<EtcdServiceEvent> emitted, EtcdHistory history,
			String marker) {
		register(writer, instance("marker", marker, 1, "UP"));
		long revision = revisionOf(writer);
		await().atMost(BOUND)
			.until(() -> history.contains(revision) && emitted.stream()
				.anyMatch((event) -> event.revision() == revision && event.instance().getInstanceId().equals(marker)));
	}

	private static long revisionOf(Client client) {
		return await(client.getKVClient().get(CatalogFixture.LAYOUT.registryPrefix())).getHeader().getRevision();
	}

}
