package io.github.etcdspring.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.PutOption;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.watch.KeyRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.etcdspring.test.EtcdKeys.await;
import static io.github.etcdspring.test.EtcdKeys.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How {@link LossDetectors} follow the keys of a lease, against real etcd: one deletion
 * watch per directory whatever the number of keys, the deletions that count as a loss,
 * and a periodic check that reads each directory once.
 */
class LossDetectorsWatchTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client root = etcd.client();

	private final RegistryThread thread = new RegistryThread();

	private final AtomicInteger directoryReads = new AtomicInteger();

	private final RegistryWriter writer = new RegistryWriter(this.root, 10, TIMEOUT) {

		@Override
		Map<ByteSequence, KeyValue> keysBetween(ByteSequence first, ByteSequence last) {
			LossDetectorsWatchTests.this.directoryReads.incrementAndGet();
			return super.keysBetween(first, last);
		}

	};

	private final long leaseId = await(this.root.getLeaseClient().grant(30)).getID();

	private final List<ByteSequence> registered = new CopyOnWriteArrayList<>();

	private final List<String> losses = new CopyOnWriteArrayList<>();

	private final LossDetectors detectors = new LossDetectors(this.root, this.writer, this.thread,
			new RetryBackoff(Duration.ofMillis(100), Duration.ofMillis(500)), TIMEOUT, Duration.ofHours(1),
			new Registered());

	@AfterEach
	void stop() {
		this.thread.call(() -> {
			this.detectors.stopAll();
			return null;
		});
		this.thread.shutdown();
	}

	@Test
	void theKeysOfOneDirectoryShareOneWatchAndTheWatchEndsWithItsLastKey() {
		for (int i = 0; i < 20; i++) {
			follow("services/orders/10.0.0." + i + ":8080");
		}
		follow("services/billing/10.0.1.1:8080");
		assertThat(call(this.detectors::watchCount)).isEqualTo(2);
		for (int i = 0; i < 20; i++) {
			ByteSequence key = bytes("services/orders/10.0.0." + i + ":8080");
			this.thread.call(() -> {
				this.detectors.stop(key);
				return null;
			});
		}
		assertThat(call(this.detectors::watchCount)).isEqualTo(1);
	}

	@Test
	void onlyTheDeletionOfAKeyStillFollowedAndHeldByTheLeaseIsALoss() {
		follow("services/orders/a");
		follow("services/orders/b");
		follow("services/orders/c");
		long otherLease = await(this.root.getLeaseClient().grant(30)).getID();
		await(this.root.getKVClient()
			.put(bytes("services/orders/other"), bytes("{}"), PutOption.builder().withLeaseId(otherLease).build()));
		this.thread.call(() -> {
			this.detectors.stop(bytes("services/orders/a"));
			return null;
		});
		// deregistered, then another instance of the directory: neither is ours
		await(this.root.getKVClient().delete(bytes("services/orders/a")));
		await(this.root.getKVClient().delete(bytes("services/orders/other")));
		// one watch delivers the three deletions in order: only the last one counts
		await(this.root.getKVClient().delete(bytes("services/orders/c")));
		await().atMost(BOUND).until(() -> !this.losses.isEmpty());
		assertThat(this.losses).containsExactly("its key services/orders/c was deleted");
	}

	@Test
	void aKeyWrittenAgainAfterADeletionIsFollowedFromItsNewRevision() {
		follow("services/orders/kept"); // keeps the directory's watch running throughout
		follow("services/orders/a");
		this.thread.call(() -> {
			this.detectors.stop(bytes("services/orders/a"));
			return null;
		});
		await(this.root.getKVClient().delete(bytes("services/orders/a")));
		follow("services/orders/a");
		await(this.root.getKVClient().delete(bytes("services/orders/a")));
		await().atMost(BOUND).until(() -> !this.losses.isEmpty());
		assertThat(this.losses).containsExactly("its key services/orders/a was deleted");
	}

	@Test
	void theCheckReadsEachDirectoryOnceWhateverTheNumberOfKeysAndFindsAMissingKey() {
		for (int i = 0; i < 50; i++) {
			follow("services/orders/10.0.0." + i + ":8080");
		}
		follow("services/billing/10.0.1.1:8080");
		this.thread.call(() -> {
			this.detectors.check();
			return null;
		});
		assertThat(this.directoryReads).hasValue(2);
		assertThat(this.losses).isEmpty();
		this.thread.call(() -> {
			this.detectors.stopAll(); // the check alone, without the watch
			return null;
		});
		await(this.root.getKVClient().delete(bytes("services/orders/10.0.0.7:8080")));
		this.thread.call(() -> {
			this.detectors.check();
			return null;
		});
		assertThat(this.losses).containsExactly("its key services/orders/10.0.0.7:8080 is missing");
	}

	@Test
	void theOnlyKeyOfADirectoryIsFoundDeletedAndSoIsTheFirstAfterASecondJoined() {
		follow("services/single/a");
		await(this.root.getKVClient().delete(bytes("services/single/a")));
		await().atMost(BOUND).until(() -> this.losses.size() == 1);
		follow("services/pair/a");
		follow("services/pair/b");
		await(this.root.getKVClient().delete(bytes("services/pair/a")));
		await().atMost(BOUND).until(() -> this.losses.size() == 2);
		assertThat(this.losses).containsExactly("its key services/single/a was deleted",
				"its key services/pair/a was deleted");
	}

	@Test
	void aKeyWithoutADirectoryIsWatchedAlone() {
		assertThat(LossDetectors.directoryOf(bytes("services/orders/10.0.0.1:8080")))
			.isEqualTo(KeyRange.prefix(bytes("services/orders/")));
		assertThat(LossDetectors.directoryOf(bytes("orders"))).isEqualTo(new KeyRange(bytes("orders"), false));
		follow("orders");
		follow("orders-other");
		assertThat(call(this.detectors::watchCount)).isEqualTo(2);
		await(this.root.getKVClient().delete(bytes("orders")));
		await().atMost(BOUND).until(() -> !this.losses.isEmpty());
		assertThat(this.losses).containsExactly("its key orders was deleted");
	}

	/**
	 * Write a key under the lease and follow it from the revision of the write, as the
	 * registration does.
	 */
	private void follow(String key) {
		ByteSequence bytes = bytes(key);
		long revision = await(
				this.root.getKVClient().put(bytes, bytes("{}"), PutOption.builder().withLeaseId(this.leaseId).build()))
			.getHeader()
			.getRevision();
		this.registered.add(bytes);
		this.thread.call(() -> {
			this.detectors.watch(bytes, this.leaseId, revision);
			return null;
		});
	}

	private <T> T call(Callable<T> task) {
		return this.thread.call(task);
	}

	private final class Registered implements LossDetectors.Registration {

		@Override
		public boolean isRegistered() {
			return true;
		}

		@Override
		public long leaseId() {
			return LossDetectorsWatchTests.this.leaseId;
		}

		@Override
		public Collection<ByteSequence> keys() {
			return new ArrayList<>(LossDetectorsWatchTests.this.registered);
		}

		@Override
		public void lost(long leaseId, ReregistrationReason reason, String description) {
			LossDetectorsWatchTests.this.losses.add(description);
		}

	}

}
