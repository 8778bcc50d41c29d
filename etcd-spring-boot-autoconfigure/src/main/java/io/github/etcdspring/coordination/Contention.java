package io.github.etcdspring.coordination;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdspring.coordination.CoordinationSession.Registration;
import io.github.etcdspring.coordination.CoordinationSession.SessionLease;
import io.github.etcdspring.lease.LeaseSession;
import io.github.etcdspring.watch.KeyRange;
import io.github.etcdspring.watch.PrefixWatch;
import io.github.etcdspring.watch.Recovery;
import io.github.etcdspring.watch.WatchListener;
import org.jspecify.annotations.Nullable;

/**
 * The way of one contender to the front of its {@link ContenderQueue}, as etcd's
 * {@code concurrency.Mutex} and {@code Election.Campaign} go it, without their known
 * gaps. In one transaction it writes its key on the session lease, if absent, and reads
 * the first key of the queue; if that is not its own, it either leaves at once (a try) or
 * waits: it watches the deletion of the newest key created before its own until none is
 * left, then checks that its own key still exists with the create revision it had (a
 * session lost while waiting must not report "held", etcd#19597). A key of its session
 * already in the queue, left by an earlier contender, is deleted first rather than taken
 * over as Go does, so that no fencing token is handed out twice.
 * <p>
 * A contender that gives up (cancelled, timed out, interrupted) or fails deletes its own
 * key, retrying until done or the lease is gone, so that it never becomes a holder nobody
 * waits for. Every step runs on the coordinator's executor; failed reads are retried with
 * its backoff while the caller waits.
 *
 * @author etcd-spring-boot contributors
 */
final class Contention implements WatchListener {

	private final EtcdCoordinator coordinator;

	private final ContenderQueue queue;

	private final SessionLease lease;

	private final ByteSequence key;

	private final ByteSequence value;

	private final boolean waitForTurn;

	private final CompletableFuture<@Nullable Hold> result;

	private final Runnable staleLease;

	private final PrefixWatch predecessorWatch;

	private volatile @Nullable Registration lossRegistration;

	// Confined to the executor: 0 until the key is written.
	private long createRevision;

	// Confined to the executor: the key watched, created before ours.
	private @Nullable ByteSequence predecessor;

	// Confined to the executor: false once this contention is over, whatever the result.
	private boolean active = true;

	/**
	 * @param result completed with the hold; cancelled by the caller to give up
	 * @param staleLease run instead of completing the result when etcd no longer knows
	 * the lease before anything was written: the caller may go on with a new one
	 */
	Contention(EtcdCoordinator coordinator, ContenderQueue queue, SessionLease lease, ByteSequence value,
			boolean waitForTurn, CompletableFuture<@Nullable Hold> result, Runnable staleLease) {
		this.coordinator = coordinator;
		this.result = result;
		this.staleLease = staleLease;
		this.queue = queue;
		this.lease = lease;
		this.key = queue.keyBytes(lease.id());
		this.value = value;
		this.waitForTurn = waitForTurn;
		this.predecessorWatch = coordinator
			.watch("the contender before " + queue.key(lease.id()), Recovery.RESUME, this)
			.deletionsOnly();
		this.predecessorWatch.open();
		this.result.whenComplete((hold, failure) -> {
			if (this.result.isCancelled()) {
				coordinator.execute(this::giveUp);
			}
		});
		this.lossRegistration = lease.whenLost((reason) -> coordinator.execute(() -> fail(new HoldLostException(
				queue + " was not acquired: the session lease " + lease + " is lost: " + reason))));
	}

	/**
	 * Join the queue: the result is completed with the hold once at the front;
	 * {@code null} when not waiting for the turn and another holds it (the key deleted by
	 * then); failed with {@link HoldLostException} when the session is lost, or with
	 * etcd's error when not waiting for the turn.
	 */
	void start() {
		this.coordinator.execute(this::enqueue);
	}

	private void enqueue() {
		if (!this.active) {
			return;
		}
		ByteSequence prefix = this.queue.prefixBytes();
		this.coordinator.client()
			.getKVClient()
			.txn()
			.If(new Cmp(this.key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
			.Then(Op.put(this.key, this.value, PutOption.builder().withLeaseId(this.lease.id()).build()),
					Op.get(prefix, EtcdCoordinator.FIRST_CREATED))
			.Else(Op.get(this.key, GetOption.DEFAULT))
			.commit()
			.whenCompleteAsync(this::enqueued, this.coordinator.executor());
	}

	private void enqueued(@Nullable TxnResponse response, @Nullable Throwable failure) {
		if (response == null) {
			enqueueFailed(EtcdCoordinator.unwrap(failure));
			return;
		}
		if (!response.isSucceeded()) {
			// Our session's key, left by an earlier contender of this process whose
			// delete has not reached etcd yet (or by our own write whose answer was
			// lost). Taking it over, as etcd's Go mutex does, would hand its fencing
			// token out twice: delete it, then join again.
			long leftAt = response.getGetResponses().get(0).getKvs().get(0).getCreateRevision();
			this.coordinator.deleteIfCreatedAt(this.key, leftAt, this.lease)
				.whenCompleteAsync((deleted, deleteFailure) -> enqueue(), this.coordinator.executor());
			return;
		}
		this.createRevision = response.getHeader().getRevision();
		KeyValue first = response.getGetResponses().get(0).getKvs().get(0);
		if (!this.active) {
			this.coordinator.deleteIfCreatedAt(this.key, this.createRevision, this.lease);
		}
		else if (first.getCreateRevision() == this.createRevision) {
			acquired(response.getHeader().getRevision());
		}
		else if (!this.waitForTurn) {
			stop();
			this.coordinator.deleteIfCreatedAt(this.key, this.createRevision, this.lease)
				.whenComplete((deleted, deleteFailure) -> this.result.complete(null));
		}
		else {
			findPredecessor();
		}
	}

	private void enqueueFailed(Throwable failure) {
		if (LeaseSession.isLeaseNotFound(failure)) {
			// nothing was written under a lease etcd does not know
			stop();
			this.staleLease.run();
		}
		else if (!this.active) {
			return;
		}
		else if (this.waitForTurn) {
			// the write may have been applied: enqueuing again finds the key and goes on
			this.predecessorWatch.retryLater(this::enqueue);
		}
		else {
			this.result.completeExceptionally(failure);
			stop();
			this.coordinator.deleteIfOurs(this.key, this.lease);
		}
	}

	private void findPredecessor() {
		if (!this.active) {
			return;
		}
		GetOption createdBefore = GetOption.builder()
			.isPrefix(true)
			.withMaxCreateRevision(this.createRevision - 1)
			.withSortField(GetOption.SortTarget.CREATE)
			.withSortOrder(GetOption.SortOrder.DESCEND)
			.withLimit(1)
			.build();
		this.coordinator.client()
			.getKVClient()
			.get(this.queue.prefixBytes(), createdBefore)
			.whenCompleteAsync((response, failure) -> {
				if (!this.active) {
					return;
				}
				if (response == null) {
					this.predecessorWatch.retryLater(this::findPredecessor);
				}
				else if (response.getKvs().isEmpty()) {
					verifyOwnKey();
				}
				else {
					this.predecessorWatch.attemptSucceeded();
					this.predecessor = response.getKvs().get(0).getKey();
					this.predecessorWatch.start(List.of(new KeyRange(this.predecessor, false)),
							response.getHeader().getRevision(), response.getHeader().getClusterId());
				}
			}, this.coordinator.executor());
	}

	private void verifyOwnKey() {
		this.coordinator.client()
			.getKVClient()
			.get(this.key, GetOption.DEFAULT)
			.whenCompleteAsync((response, failure) -> {
				if (!this.active) {
					return;
				}
				if (response == null) {
					this.predecessorWatch.retryLater(this::verifyOwnKey);
				}
				else if (response.getKvs().isEmpty()
						|| response.getKvs().get(0).getCreateRevision() != this.createRevision) {
					fail(new HoldLostException(
							this.queue + " was not acquired: the key " + this.queue.key(this.lease.id())
									+ " was deleted while it waited (its session lease " + this.lease + " expired?)"));
				}
				else {
					acquired(response.getHeader().getRevision());
				}
			}, this.coordinator.executor());
	}

	@Override
	public void onChanges(List<WatchEvent> changes) {
		if (!changes.isEmpty()) {
			this.predecessorWatch.closeWatches();
			findPredecessor();
		}
	}

	@Override
	public void onReset(Reset reset, @Nullable Throwable cause) {
		findPredecessor();
	}

	/**
	 * A predecessor deleted between the read that found it and the creation of its watch
	 * would reach the watch from etcd's history, up to 100 ms later: one read ends that
	 * wait.
	 */
	@Override
	public void onWatching() {
		ByteSequence watched = this.predecessor;
		if (watched == null) {
			return;
		}
		this.coordinator.client()
			.getKVClient()
			.get(watched, GetOption.builder().withCountOnly(true).build())
			.whenCompleteAsync((response, failure) -> {
				if (this.active && watched.equals(this.predecessor) && response != null && response.getCount() == 0) {
					this.predecessorWatch.closeWatches();
					findPredecessor();
				}
			}, this.coordinator.executor());
	}

	private void acquired(long revision) {
		Hold hold = new Hold(this.coordinator, this.queue, this.lease, this.createRevision, revision);
		if (!complete(hold)) {
			hold.release();
		}
	}

	private boolean complete(@Nullable Hold hold) {
		boolean completed = this.result.complete(hold);
		stop();
		return completed;
	}

	/**
	 * A contender whose lease is lost before it wrote its key goes on with a new lease;
	 * one that wrote it fails, as etcd's Go client does (ErrSessionExpired).
	 */
	private void sessionLost(String reason) {
		if (!this.active) {
			return;
		}
		stop();
		if (this.createRevision == 0) {
			this.staleLease.run();
		}
		else {
			this.result.completeExceptionally(new HoldLostException(
					this.queue + " was not acquired: the session lease " + this.lease + " is lost: " + reason));
		}
	}

	private void fail(HoldLostException failure) {
		stop();
		this.result.completeExceptionally(failure);
	}

	private void giveUp() {
		stop();
		if (this.createRevision != 0) {
			this.coordinator.deleteIfCreatedAt(this.key, this.createRevision, this.lease);
		}
	}

	private void stop() {
		this.active = false;
		this.predecessorWatch.close();
		Registration registration = this.lossRegistration;
		if (registration != null) {
			registration.close();
		}
	}

}
