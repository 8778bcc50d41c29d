package io.github.etcdspring.coordination;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.github.etcdspring.client.EtcdFutures;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.coordination.CoordinationSession.SessionLease;
import io.github.etcdspring.watch.PrefixWatch;
import io.github.etcdspring.watch.Recovery;
import io.github.etcdspring.watch.WatchListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The engine of locks and elections: contenders join a {@link ContenderQueue} on the
 * {@link CoordinationSession}'s lease and wait for their turn, holders keep a
 * {@link Hold}. Its work runs on one thread of its own, {@code etcd-coordination}, which
 * never blocks on etcd; only the methods documented as waiting do, on the caller's
 * thread.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdCoordinator implements DisposableBean {

	private static final Log logger = LogFactory.getLog(EtcdCoordinator.class);

	/** The first key created under a prefix: the holder, or the leader. */
	static final GetOption FIRST_CREATED = GetOption.builder()
		.isPrefix(true)
		.withSortField(GetOption.SortTarget.CREATE)
		.withSortOrder(GetOption.SortOrder.ASCEND)
		.withLimit(1)
		.build();

	private final Client client;

	private final CoordinationSession session;

	private final Duration requestTimeout;

	private final RetryBackoff retryBackoff;

	private final ScheduledExecutorService executor;

	/**
	 * @param client the client
	 * @param session the session lease of every hold
	 * @param requestTimeout how long a waiting method waits for one answer of etcd
	 * @param retryBackoff the delays between attempts while a contender waits
	 */
	public EtcdCoordinator(Client client, CoordinationSession session, Duration requestTimeout,
			RetryBackoff retryBackoff) {
		this.client = client;
		this.session = session;
		this.requestTimeout = requestTimeout;
		this.retryBackoff = retryBackoff;
		CustomizableThreadFactory threads = new CustomizableThreadFactory("etcd-coordination-");
		threads.setDaemon(true);
		this.executor = Executors.newSingleThreadScheduledExecutor(threads);
	}

	/**
	 * The session of every hold.
	 * @return the session
	 */
	public CoordinationSession session() {
		return this.session;
	}

	/**
	 * Join a queue on the current session lease (granted now, waiting for etcd, if there
	 * is none) and go to its front.
	 * @param queue the queue
	 * @param value the value of the contender's key: empty for a lock, the proposal for
	 * an election
	 * @param waitForTurn whether to wait while another holds the front; if not, the
	 * contender leaves at once
	 * @return the hold; {@code null} when another holds the front and not waiting. Failed
	 * with {@link HoldLostException} when the session lease is lost first, and with
	 * etcd's error when not waiting. Cancelling it gives up: the contender's key is
	 * deleted.
	 */
	public CompletableFuture<@Nullable Hold> acquire(ContenderQueue queue, byte[] value, boolean waitForTurn) {
		CompletableFuture<@Nullable Hold> result = new CompletableFuture<>();
		contend(queue, ByteSequence.from(value), waitForTurn, this.session.lease(), result, true);
		return result;
	}

	/**
	 * A lease etcd no longer knows, found before its keep-alive told, is lost for every
	 * hold on it; a contender that wrote nothing under it yet goes on, once, with a new
	 * one, granted off the coordinator's thread.
	 */
	private void contend(ContenderQueue queue, ByteSequence value, boolean waitForTurn, SessionLease lease,
			CompletableFuture<@Nullable Hold> result, boolean mayRenewLease) {
		new Contention(this, queue, lease, value, waitForTurn, result, () -> {
			this.session.leaseLost(lease, "etcd no longer knows it");
			if (!mayRenewLease) {
				result.completeExceptionally(new HoldLostException(
						queue + " was not acquired: etcd no longer knows the session lease " + lease));
				return;
			}
			CompletableFuture.supplyAsync(this.session::lease).whenComplete((renewed, failure) -> {
				if (renewed != null) {
					contend(queue, value, waitForTurn, renewed, result, false);
				}
				else {
					result.completeExceptionally(unwrap(failure));
				}
			});
		}).start();
	}

	/**
	 * The first contender of a queue, the holder or leader, waiting for etcd.
	 * @param queue the queue
	 * @return its key and value, if any
	 */
	public Optional<KeyValue> first(ContenderQueue queue) {
		List<KeyValue> first = EtcdFutures
			.await(this.client.getKVClient().get(queue.prefixBytes(), FIRST_CREATED), this.requestTimeout)
			.getKvs();
		return first.stream().findFirst();
	}

	/**
	 * A watch whose callbacks run on the coordinator's thread, for observers of a queue.
	 * @param subject what is watched, for the logs
	 * @param recovery what to do when it breaks
	 * @param listener its owner
	 * @return the watch, not opened yet
	 */
	public PrefixWatch watch(String subject, Recovery recovery, WatchListener listener) {
		return new PrefixWatch(this.client, this.executor, this.retryBackoff, this.requestTimeout, recovery, subject,
				listener);
	}

	/**
	 * Run a task on the coordinator's thread, unless it is shut down.
	 * @param task the task, which must not block
	 */
	public void execute(Runnable task) {
		if (!this.executor.isShutdown()) {
			this.executor.execute(task);
		}
	}

	/**
	 * Stop the coordinator's thread and close the session, revoking its lease.
	 */
	@Override
	public void destroy() {
		this.executor.shutdownNow();
		this.session.close();
	}

	Client client() {
		return this.client;
	}

	ScheduledExecutorService executor() {
		return this.executor;
	}

	<T> T await(CompletableFuture<T> future) {
		return EtcdFutures.await(future, this.requestTimeout);
	}

	<T> T awaitUninterruptibly(CompletableFuture<T> future) {
		return EtcdFutures.awaitUninterruptibly(future, this.requestTimeout);
	}

	@Nullable KeyValue get(ByteSequence key) {
		List<KeyValue> found = await(this.client.getKVClient().get(key)).getKvs();
		return found.isEmpty() ? null : found.get(0);
	}

	/**
	 * Write a key only while its create revision is the given one.
	 * @return whether it was written
	 */
	CompletableFuture<Boolean> putIfCreatedAt(ByteSequence key, ByteSequence value, long createRevision, long leaseId) {
		return this.client.getKVClient()
			.txn()
			.If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(createRevision)))
			.Then(Op.put(key, value, PutOption.builder().withLeaseId(leaseId).build()))
			.commit()
			.thenApply((response) -> response.isSucceeded());
	}

	/**
	 * Delete a key only while its create revision is the given one: a key deleted and
	 * written again since belongs to someone else. When etcd cannot be reached, the
	 * delete is retried with the backoff until it is answered or the lease is lost (the
	 * key is gone with it), so that an abandoned key never holds the front.
	 * @return whether it was deleted; completed once etcd answered or the lease is lost
	 */
	CompletableFuture<Boolean> deleteIfCreatedAt(ByteSequence key, long createRevision, SessionLease lease) {
		CompletableFuture<Boolean> deleted = new CompletableFuture<>();
		deleteIfCreatedAt(key, createRevision, lease, deleted, 0);
		return deleted;
	}

	private void deleteIfCreatedAt(ByteSequence key, long createRevision, SessionLease lease,
			CompletableFuture<Boolean> deleted, int failedAttempts) {
		if (lease.isLost()) {
			deleted.complete(false);
			return;
		}
		this.client.getKVClient()
			.txn()
			.If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(createRevision)))
			.Then(Op.delete(key, DeleteOption.DEFAULT))
			.commit()
			.whenComplete((response, failure) -> {
				if (response != null) {
					deleted.complete(response.isSucceeded());
					return;
				}
				logger.debug("Could not delete the etcd key " + text(key) + "; retrying", failure);
				try {
					this.executor.schedule(
							() -> deleteIfCreatedAt(key, createRevision, lease, deleted, failedAttempts + 1),
							this.retryBackoff.delayMillis(failedAttempts), TimeUnit.MILLISECONDS);
				}
				catch (RuntimeException ex) {
					logger.warn("Could not delete the etcd key " + text(key) + "; it expires with the session lease "
							+ lease, failure);
					deleted.complete(false);
				}
			});
	}

	/**
	 * Delete a key whose create revision is unknown (a write whose answer was lost) if it
	 * is on our lease. In the background.
	 */
	void deleteIfOurs(ByteSequence key, SessionLease lease) {
		this.client.getKVClient().get(key).whenComplete((response, failure) -> {
			if (response != null && !response.getKvs().isEmpty() && response.getKvs().get(0).getLease() == lease.id()) {
				deleteIfCreatedAt(key, response.getKvs().get(0).getCreateRevision(), lease);
			}
		});
	}

	static Throwable unwrap(@Nullable Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return (cause != null) ? cause : new IllegalStateException("no answer from etcd");
	}

	private static String text(ByteSequence key) {
		return key.toString(StandardCharsets.UTF_8);
	}

}
