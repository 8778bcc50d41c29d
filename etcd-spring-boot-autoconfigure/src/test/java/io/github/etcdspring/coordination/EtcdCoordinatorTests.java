package io.github.etcdspring.coordination;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link EtcdCoordinator} against a real etcd: the queue of contenders, as etcd's Go
 * {@code concurrency} package keeps it.
 */
class EtcdCoordinatorTests {

	private static final Duration BOUND = Duration.ofSeconds(15);

	private static final byte[] NO_VALUE = new byte[0];

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final List<EtcdCoordinator> coordinators = new CopyOnWriteArrayList<>();

	private final ContenderQueue queue = new ContenderQueue("locks", "job");

	@AfterEach
	void destroyCoordinators() {
		this.coordinators.forEach(EtcdCoordinator::destroy);
	}

	@Test
	void theFirstContenderHoldsAKeyNamedAfterItsLeaseInLowercaseHex() throws Exception {
		EtcdCoordinator coordinator = coordinator();
		Hold hold = coordinator.acquire(this.queue, "me".getBytes(StandardCharsets.UTF_8), true).get();
		assertThat(hold).isNotNull();
		assertThat(hold.key()).isEqualTo("locks/job/" + Long.toHexString(hold.leaseId()));
		KeyValue key = keys().get(0);
		assertThat(key.getKey().toString(StandardCharsets.UTF_8)).isEqualTo(hold.key());
		assertThat(key.getLease()).isEqualTo(hold.leaseId());
		assertThat(hold.fencingToken()).isEqualTo(key.getCreateRevision());
		assertThat(coordinator.first(this.queue)).hasValueSatisfying(
				(first) -> assertThat(first.getValue().toString(StandardCharsets.UTF_8)).isEqualTo("me"));
		assertThat(hold.release()).isTrue();
		assertThat(keys()).isEmpty();
		assertThat(hold.release()).isFalse();
	}

	@Test
	void aWaiterHoldsOnceTheHolderReleasesWithAGreaterFencingToken() throws Exception {
		Hold first = coordinator().acquire(this.queue, NO_VALUE, true).get();
		CompletableFuture<@Nullable Hold> waiting = coordinator().acquire(this.queue, NO_VALUE, true);
		await().atMost(BOUND).until(() -> keys().size() == 2);
		assertThat(waiting).isNotDone();
		first.release();
		Hold second = waiting.get();
		assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
		assertThat(second.isHeld()).isTrue();
	}

	@Test
	void aTryWhileAnotherHoldsReturnsNothingAndLeavesNoKey() throws Exception {
		Hold holder = coordinator().acquire(this.queue, NO_VALUE, true).get();
		assertThat(coordinator().acquire(this.queue, NO_VALUE, false).get()).isNull();
		assertThat(keys()).extracting((key) -> key.getKey().toString(StandardCharsets.UTF_8))
			.containsExactly(holder.key());
	}

	@Test
	void aWaiterThatGivesUpDeletesItsKey() throws Exception {
		Hold holder = coordinator().acquire(this.queue, NO_VALUE, true).get();
		CompletableFuture<@Nullable Hold> waiting = coordinator().acquire(this.queue, NO_VALUE, true);
		await().atMost(BOUND).until(() -> keys().size() == 2);
		waiting.cancel(false);
		await().atMost(BOUND).until(() -> keys().size() == 1);
		holder.release();
		assertThat(keys()).isEmpty();
	}

	/**
	 * A key of this session already in the queue was left by an earlier contender whose
	 * release has not reached etcd yet. Taking it over, as etcd's Go mutex does, would
	 * hand out its fencing token a second time.
	 */
	@Test
	void aKeyLeftInTheQueueBySameSessionIsReplacedSoTheFencingTokenStillGrows() throws Exception {
		EtcdCoordinator coordinator = coordinator();
		Hold left = coordinator.acquire(this.queue, NO_VALUE, true).get();
		Hold next = coordinator.acquire(this.queue, "new".getBytes(StandardCharsets.UTF_8), true).get();
		assertThat(next.fencingToken()).isGreaterThan(left.fencingToken());
		assertThat(keys()).singleElement()
			.satisfies((key) -> assertThat(key.getValue().toString(StandardCharsets.UTF_8)).isEqualTo("new"));
		await().atMost(BOUND).until(() -> !left.isHeld());
	}

	/**
	 * {@code Lock.unlock()} does not throw for an interrupted thread, and a thread
	 * interrupted while it held a lock still unlocks it.
	 */
	@Test
	void aHoldReleasedByAnInterruptedThreadIsDeletedBeforeReleaseReturnsAndTheThreadStaysInterrupted()
			throws Exception {
		Hold hold = coordinator().acquire(this.queue, NO_VALUE, true).get();
		boolean released;
		boolean interrupted;
		Thread.currentThread().interrupt();
		try {
			released = hold.release();
		}
		finally {
			interrupted = Thread.interrupted();
		}
		assertThat(released).isTrue();
		assertThat(interrupted).isTrue();
		assertThat(keys()).isEmpty();
	}

	@Test
	void aHoldWhoseKeyIsDeletedByAnotherIsLostAndToldOnce() throws Exception {
		Hold hold = coordinator().acquire(this.queue, NO_VALUE, true).get();
		List<String> losses = new CopyOnWriteArrayList<>();
		hold.onLoss(losses::add);
		EtcdKeys.delete(etcd.client(), hold.key());
		await().atMost(BOUND).until(() -> !losses.isEmpty());
		assertThat(losses).singleElement().asString().contains("was deleted");
		assertThat(hold.isHeld()).isFalse();
		assertThat(hold.release()).isFalse();
	}

	@Test
	void aLostSessionLeaseLosesEveryHoldAndANewLeaseServesTheNextAcquisition() throws Exception {
		EtcdCoordinator coordinator = coordinator();
		Hold a = coordinator.acquire(this.queue, NO_VALUE, true).get();
		Hold b = coordinator.acquire(new ContenderQueue("locks", "other"), NO_VALUE, true).get();
		List<String> losses = new CopyOnWriteArrayList<>();
		a.onLoss(losses::add);
		b.onLoss(losses::add);
		etcd.client().getLeaseClient().revoke(a.leaseId()).get();
		await().atMost(BOUND).until(() -> losses.size() == 2);
		assertThat(a.isHeld()).isFalse();
		assertThat(b.isHeld()).isFalse();
		Hold again = coordinator.acquire(this.queue, NO_VALUE, true).get();
		assertThat(again.leaseId()).isNotEqualTo(a.leaseId());
		assertThat(again.fencingToken()).isGreaterThan(a.fencingToken());
	}

	@Test
	void aWaiterWhoseSessionIsLostFailsInsteadOfHolding() throws Exception {
		coordinator().acquire(this.queue, NO_VALUE, true).get();
		EtcdCoordinator waiter = coordinator();
		CompletableFuture<@Nullable Hold> waiting = waiter.acquire(this.queue, NO_VALUE, true);
		await().atMost(BOUND).until(() -> keys().size() == 2);
		etcd.client().getLeaseClient().revoke(waiter.session().lease().id()).get();
		await().atMost(BOUND).until(waiting::isDone);
		assertThatExceptionOfType(Exception.class).isThrownBy(waiting::get)
			.havingRootCause()
			.isInstanceOf(HoldLostException.class);
	}

	private EtcdCoordinator coordinator() {
		Duration requestTimeout = Duration.ofSeconds(5);
		EtcdCoordinator coordinator = new EtcdCoordinator(etcd.client(),
				new CoordinationSession(etcd.client(), 2, requestTimeout), requestTimeout,
				new RetryBackoff(Duration.ofMillis(50), Duration.ofSeconds(1)));
		this.coordinators.add(coordinator);
		return coordinator;
	}

	private List<KeyValue> keys() throws Exception {
		return etcd.client()
			.getKVClient()
			.get(ByteSequence.from("locks/job/", StandardCharsets.UTF_8), GetOption.builder().isPrefix(true).build())
			.get()
			.getKvs();
	}

}
