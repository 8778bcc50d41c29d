package io.github.etcdspring.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.client.EtcdFutures;
import io.github.etcdspring.client.RetryBackoff;
import io.grpc.stub.StreamObserver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The lease under which this application's instance keys live, and what keeps them there.
 * <p>
 * All keys share one lease, kept alive by jetcd's keep-alive stream. The registration counts as lost when the lease
 * is gone, when the keep-alive got no answer for a whole TTL, when one of the keys is deleted (by someone else, or
 * because the lease expired), or when the periodic check finds a key missing. A lost registration is restored by
 * granting a new lease and writing every key again in one transaction, retried with a growing, jittered delay
 * ({@link RetryBackoff}) until it works or the attempts run out; the old lease is kept alive until then, so that keys
 * still under it do not expire meanwhile. A key held by another lease is never taken over
 * ({@link DuplicateInstanceException}).
 * Each loss and each restoration is logged once and published as an application event.
 * <p>
 * Everything runs on one registry thread; the package-private methods wait for it. Events are published on that
 * thread after the work that caused them, so that listeners may call back into the registry.
 *
 * @author etcd-spring-boot contributors
 */
class RegistrationLease {

	private static final Log logger = LogFactory.getLog(RegistrationLease.class);

	private final Client client;

	private final long ttlSeconds;

	private final EtcdServiceProperties.Retry retry;

	private final RetryBackoff retryBackoff;

	private final Duration requestTimeout;

	private final ApplicationEventPublisher eventPublisher;

	private final Object eventSource;

	private final ScheduledExecutorService executor;

	private volatile @Nullable Thread registryThread;

	// Confined to the registry thread.
	private final Map<ByteSequence, ByteSequence> entries = new LinkedHashMap<>();

	private final Map<ByteSequence, Watch.Watcher> deletionWatchers = new HashMap<>();

	private final Set<ByteSequence> warnedForeignKeys = new HashSet<>();

	private @Nullable CloseableClient keepAlive;

	private int failedAttempts;

	private @Nullable ScheduledFuture<?> retryTask;

	private @Nullable ScheduledFuture<?> checkTask;

	// Read by any thread.
	private volatile long leaseId;

	private volatile State state = State.IDLE;

	private volatile @Nullable RuntimeException lastFailure;

	RegistrationLease(Client client, Duration ttl, EtcdServiceProperties.Retry retry, RetryBackoff retryBackoff,
			Duration requestTimeout, ApplicationEventPublisher eventPublisher, Object eventSource) {
		this.client = client;
		this.ttlSeconds = Math.max(1, ttl.toSeconds());
		this.retry = retry;
		this.retryBackoff = retryBackoff;
		this.requestTimeout = requestTimeout;
		this.eventPublisher = eventPublisher;
		this.eventSource = eventSource;
		CustomizableThreadFactory threadFactory = new CustomizableThreadFactory("etcd-registry-") {

			@Override
			public Thread newThread(Runnable runnable) {
				Thread thread = super.newThread(runnable);
				RegistrationLease.this.registryThread = thread;
				return thread;
			}

		};
		threadFactory.setDaemon(true);
		this.executor = Executors.newSingleThreadScheduledExecutor(threadFactory);
	}

	/**
	 * Write a key under the lease, granting the lease first if there is none. When the key cannot be written because
	 * the registration is being restored, the registry keeps trying in the background and the failure is thrown.
	 * @param key the key
	 * @param value the value, computed on the registry thread so that it is the latest
	 * @throws DuplicateInstanceException when another lease holds the key
	 */
	void put(ByteSequence key, Supplier<ByteSequence> value) {
		call(() -> {
			ByteSequence written = value.get();
			this.entries.put(key, written);
			switch (this.state) {
				case IDLE -> establishOrRestoreLater();
				case REGISTERED -> putUnderLease(key, written);
				case RESTORING, FAILED -> {
					this.failedAttempts = 0;
					restore();
				}
				case CLOSED -> throw new IllegalStateException("The etcd service registry is closed");
			}
			if (this.state != State.REGISTERED) {
				throw (this.lastFailure != null) ? this.lastFailure
						: new IllegalStateException("Not registered in etcd (" + this.state + ")");
			}
			return null;
		});
	}

	/**
	 * Change the value of a registered key, all or nothing and in turn with {@link #put}, {@link #remove} and the
	 * restoration: the new value is kept, and {@code applied} run, only once it is in etcd. A value that could not be
	 * written is forgotten, so that no later restoration writes it. A key that is not registered is left alone: only
	 * {@code applied} runs, and the next {@link #put} writes the value it then computes.
	 * @param key the key
	 * @param value the new value
	 * @param applied what to do once the new value is in force
	 * @return whether the key was registered
	 */
	boolean update(ByteSequence key, Supplier<ByteSequence> value, Runnable applied) {
		return call(() -> {
			if (!this.entries.containsKey(key)) {
				applied.run();
				return false;
			}
			ByteSequence written = value.get();
			ByteSequence previous = this.entries.put(key, written);
			try {
				switch (this.state) {
					case REGISTERED -> putUnderLease(key, written);
					case RESTORING, FAILED -> {
						this.failedAttempts = 0;
						restore();
					}
					default -> throw new IllegalStateException("Not registered in etcd (" + this.state + ")");
				}
				if (this.state != State.REGISTERED) {
					throw (this.lastFailure != null) ? this.lastFailure
							: new IllegalStateException("Not registered in etcd (" + this.state + ")");
				}
			}
			catch (RuntimeException ex) {
				// Still the registry thread: a restoration scheduled meanwhile runs after this and writes the previous value.
				this.entries.put(key, previous);
				throw ex;
			}
			applied.run();
			return true;
		});
	}

	/**
	 * Remove a key; revoke the lease when it was the last one.
	 * @param key the key
	 * @return whether the key was registered
	 */
	boolean remove(ByteSequence key) {
		return call(() -> {
			if (this.entries.remove(key) == null) {
				return false;
			}
			Watch.Watcher watcher = this.deletionWatchers.remove(key);
			if (watcher != null) {
				watcher.close();
			}
			if (this.entries.isEmpty()) {
				releaseLease(true);
				this.state = State.IDLE;
			}
			else if (this.state == State.REGISTERED) {
				deleteIfOurs(key);
			}
			return true;
		});
	}

	/**
	 * Stop keeping the keys alive and release the registry thread.
	 * @param revoke whether to revoke the lease, deleting the keys at once, rather than let them expire
	 */
	void close(boolean revoke) {
		if (this.state == State.CLOSED) {
			return;
		}
		try {
			call(() -> {
				releaseLease(revoke);
				this.entries.clear();
				this.state = State.CLOSED;
				return null;
			});
		}
		finally {
			this.executor.shutdownNow();
		}
	}

	State state() {
		return this.state;
	}

	/**
	 * Why the registration is not in etcd.
	 * @return the description of the last failure, or {@code null}
	 */
	@Nullable String lastFailure() {
		RuntimeException failure = this.lastFailure;
		return (failure != null) ? describe(failure) : null;
	}

	long leaseId() {
		return this.leaseId;
	}

	Duration ttl() {
		return Duration.ofSeconds(this.ttlSeconds);
	}

	// ---------------------------------------------------------------- the registry thread

	private void establishOrRestoreLater() {
		try {
			establish();
			this.state = State.REGISTERED;
		}
		catch (RuntimeException ex) {
			this.state = State.RESTORING;
			this.failedAttempts = 1;
			this.lastFailure = ex;
			scheduleRestore();
		}
	}

	/**
	 * Grant a lease, write every key under it in one transaction, then keep it alive and watch the keys. Only then is
	 * the previous lease's keep-alive stopped. A key held by another lease is never taken over: the transaction
	 * writes the keys only while each is still absent or ours, as read just before.
	 */
	private void establish() {
		Cmp[] guards = this.entries.keySet().stream().map(this::guard).toArray(Cmp[]::new);
		long newLeaseId = await(this.client.getLeaseClient().grant(this.ttlSeconds)).getID();
		TxnResponse response;
		try {
			PutOption withLease = PutOption.builder().withLeaseId(newLeaseId).build();
			response = await(this.client.getKVClient()
				.txn()
				.If(guards)
				.Then(this.entries.entrySet()
					.stream()
					.map((entry) -> Op.put(entry.getKey(), entry.getValue(), withLease))
					.toArray(Op[]::new))
				.commit());
			if (!response.isSucceeded()) {
				throw new IllegalStateException("The etcd keys " + keys() + " changed while they were registered");
			}
		}
		catch (RuntimeException ex) {
			this.client.getLeaseClient().revoke(newLeaseId);
			throw ex;
		}
		CloseableClient previousKeepAlive = this.keepAlive;
		this.leaseId = newLeaseId;
		this.keepAlive = this.client.getLeaseClient().keepAlive(newLeaseId, new KeepAliveObserver(newLeaseId));
		if (previousKeepAlive != null) {
			previousKeepAlive.close();
		}
		long fromRevision = response.getHeader().getRevision() + 1;
		this.entries.keySet().forEach((key) -> watchDeletion(key, newLeaseId, fromRevision));
		if (this.checkTask == null) {
			long interval = this.retry.getCheckInterval().toMillis();
			this.checkTask = this.executor.scheduleWithFixedDelay(guarded(this::check), interval, interval,
					TimeUnit.MILLISECONDS);
		}
	}

	private void putUnderLease(ByteSequence key, ByteSequence value) {
		try {
			TxnResponse response = await(this.client.getKVClient()
				.txn()
				.If(guard(key))
				.Then(Op.put(key, value, PutOption.builder().withLeaseId(this.leaseId).build()))
				.commit());
			if (!response.isSucceeded()) {
				throw new IllegalStateException("The etcd key " + text(key) + " changed while it was written");
			}
			watchDeletion(key, this.leaseId, response.getHeader().getRevision() + 1);
		}
		catch (RuntimeException ex) {
			if (isLeaseNotFound(ex)) {
				lost(this.leaseId, ex);
				return;
			}
			// A failed write says nothing about the lease: report it and leave the registration alone.
			throw ex;
		}
	}

	/**
	 * The condition under which a key may be written: it is absent, or still the version our lease holds.
	 * @throws DuplicateInstanceException when another lease (or none) holds it
	 */
	private Cmp guard(ByteSequence key) {
		List<KeyValue> found = await(this.client.getKVClient().get(key, GetOption.DEFAULT)).getKvs();
		if (found.isEmpty()) {
			return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0));
		}
		KeyValue current = found.get(0);
		if (current.getLease() != 0 && current.getLease() == this.leaseId) {
			return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(current.getModRevision()));
		}
		long remainingSeconds = 0;
		if (current.getLease() != 0) {
			try {
				remainingSeconds = Math.max(0, await(
						this.client.getLeaseClient().timeToLive(current.getLease(), LeaseOption.DEFAULT)).getTTL());
			}
			catch (RuntimeException ex) {
				// Not allowed to ask (etcd 3.5 wants read access to every key of the lease): assume our own TTL.
				remainingSeconds = this.ttlSeconds;
			}
		}
		throw new DuplicateInstanceException(text(key), current.getLease(), Duration.ofSeconds(remainingSeconds));
	}

	/**
	 * The registration is gone (or going): restore it.
	 */
	private void lost(long lostLeaseId, Object cause) {
		if (lostLeaseId != this.leaseId || this.state != State.REGISTERED) {
			return;
		}
		this.state = State.RESTORING;
		String reason = (cause instanceof RuntimeException failure) ? describe(failure) : cause.toString();
		EtcdFailure failure = (cause instanceof Throwable throwable) ? EtcdFailure.of(throwable) : EtcdFailure.OTHER;
		this.lastFailure = (cause instanceof RuntimeException runtime) ? runtime : new IllegalStateException(reason);
		logger.warn("The etcd registration of " + keys() + " was lost (" + reason + "); registering again");
		publishLater(new EtcdRegistrationLostEvent(this.eventSource, keys(), failure, reason));
		restore();
	}

	private void restore() {
		if (this.retryTask != null) {
			this.retryTask.cancel(false);
			this.retryTask = null;
		}
		if (this.state == State.CLOSED || this.entries.isEmpty()) {
			return;
		}
		this.state = State.RESTORING;
		long previousLeaseId = this.leaseId;
		try {
			establish();
		}
		catch (RuntimeException ex) {
			this.failedAttempts++;
			if (ex instanceof DuplicateInstanceException && !(this.lastFailure instanceof DuplicateInstanceException)) {
				logger.warn("Not registering " + keys() + " in etcd again while " + ex.getMessage()
						+ "; trying again until it is gone");
			}
			this.lastFailure = ex;
			if (this.retry.getMaxAttempts() > 0 && this.failedAttempts >= this.retry.getMaxAttempts()) {
				this.state = State.FAILED;
				logger.error("Gave up registering " + keys() + " in etcd after " + this.failedAttempts
						+ " attempts: " + describe(ex) + " (service.retry.max-attempts)");
				return;
			}
			logger.debug("Could not register " + keys() + " in etcd yet: " + describe(ex));
			scheduleRestore();
			return;
		}
		int attempts = this.failedAttempts + 1;
		this.failedAttempts = 0;
		this.lastFailure = null;
		this.state = State.REGISTERED;
		if (previousLeaseId != 0) {
			// Its keys now live under the new lease: revoking it only frees it.
			this.client.getLeaseClient().revoke(previousLeaseId);
		}
		logger.info("Registered " + keys() + " in etcd again under lease " + Long.toHexString(this.leaseId) + " after "
				+ attempts + " attempt(s)");
		publishLater(new EtcdRegistrationRestoredEvent(this.eventSource, keys(), this.leaseId, attempts));
	}

	/**
	 * The watches and the keep-alive see most losses at once; this finds the rest, such as a key deleted while its
	 * watch was reconnecting.
	 */
	private void check() {
		if (this.state != State.REGISTERED) {
			return;
		}
		long checkedLeaseId = this.leaseId;
		for (ByteSequence key : List.copyOf(this.entries.keySet())) {
			List<KeyValue> found;
			try {
				found = await(this.client.getKVClient().get(key, GetOption.DEFAULT)).getKvs();
			}
			catch (RuntimeException ex) {
				logger.debug("Could not check the etcd registration of " + text(key), ex);
				return;
			}
			if (found.isEmpty()) {
				lost(checkedLeaseId, "its key " + text(key) + " is missing");
				return;
			}
			if (found.get(0).getLease() != checkedLeaseId && this.warnedForeignKeys.add(key)) {
				logger.warn("The etcd key " + text(key) + " is held by lease " + Long.toHexString(found.get(0).getLease())
						+ ", not ours (" + Long.toHexString(checkedLeaseId) + "): another process registered the same "
						+ "instance id; set service.instance-id or service.host to tell them apart");
			}
		}
	}

	/**
	 * Delete a key only while it is still the version written under our lease: another process may have taken the
	 * instance id over.
	 */
	private void deleteIfOurs(ByteSequence key) {
		List<KeyValue> found = await(this.client.getKVClient().get(key, GetOption.DEFAULT)).getKvs();
		if (!found.isEmpty() && found.get(0).getLease() == this.leaseId) {
			await(this.client.getKVClient()
				.txn()
				.If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(found.get(0).getModRevision())))
				.Then(Op.delete(key, DeleteOption.DEFAULT))
				.commit());
		}
	}

	private void scheduleRestore() {
		this.retryTask = this.executor.schedule(guarded(this::restore),
				this.retryBackoff.delayMillis(this.failedAttempts - 1), TimeUnit.MILLISECONDS);
	}

	/**
	 * Watch a key for its deletion while it holds our lease. jetcd resumes the watch after a broken connection; a
	 * watch it ends (after a compaction, say) is started again, and the periodic check covers the gap.
	 */
	private void watchDeletion(ByteSequence key, long watchedLeaseId, long fromRevision) {
		Watch.Watcher previous = this.deletionWatchers.remove(key);
		if (previous != null) {
			previous.close();
		}
		WatchOption option = WatchOption.builder()
			.withRevision(fromRevision)
			.withPrevKV(true)
			.withNoPut(true)
			.build();
		Watch.Watcher watcher = this.client.getWatchClient().watch(key, option, Watch.listener((response) -> {
			for (WatchEvent event : response.getEvents()) {
				if (event.getEventType() == WatchEvent.EventType.DELETE
						&& event.getPrevKV().getLease() == watchedLeaseId) {
					execute(() -> lost(watchedLeaseId, "its key " + text(key) + " was deleted"));
				}
			}
		}, (error) -> logger.debug("Watch of " + text(key) + " interrupted", error), () -> execute(() -> {
			if (this.leaseId == watchedLeaseId && this.deletionWatchers.get(key) != null
					&& this.deletionWatchers.get(key).isClosed()) {
				watchDeletion(key, watchedLeaseId, 0);
				check();
			}
		})));
		this.deletionWatchers.put(key, watcher);
	}

	private void releaseLease(boolean revoke) {
		if (this.keepAlive != null) {
			this.keepAlive.close();
			this.keepAlive = null;
		}
		this.deletionWatchers.values().forEach(Watch.Watcher::close);
		this.deletionWatchers.clear();
		if (this.checkTask != null) {
			this.checkTask.cancel(false);
			this.checkTask = null;
		}
		if (this.retryTask != null) {
			this.retryTask.cancel(false);
			this.retryTask = null;
		}
		if (revoke && this.leaseId != 0) {
			try {
				await(this.client.getLeaseClient().revoke(this.leaseId));
			}
			catch (RuntimeException ex) {
				logger.warn("Could not revoke the etcd registration lease " + Long.toHexString(this.leaseId)
						+ "; its keys expire within " + this.ttlSeconds + "s (" + EtcdFailure.messageOf(ex) + ")");
			}
		}
		this.leaseId = 0;
	}

	private List<String> keys() {
		return this.entries.keySet().stream().map(RegistrationLease::text).toList();
	}

	private void publishLater(ApplicationEvent event) {
		execute(() -> this.eventPublisher.publishEvent(event));
	}

	private void execute(Runnable task) {
		try {
			this.executor.execute(guarded(task));
		}
		catch (RejectedExecutionException ex) {
			// closed: late keep-alive and watch callbacks have nothing left to restore
		}
	}

	/**
	 * Executors keep the exceptions of their tasks to themselves, and end a periodic task that throws one.
	 */
	private static Runnable guarded(Runnable task) {
		return () -> {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				logger.error("etcd registry task failed", ex);
			}
		};
	}

	private <T extends @Nullable Object> T call(Callable<T> task) {
		if (Thread.currentThread() == this.registryThread) {
			try {
				return task.call();
			}
			catch (Exception ex) {
				throw (ex instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
			}
		}
		try {
			return this.executor.submit(task).get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the etcd registry", ex);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException(ex.getCause());
		}
	}

	private <T> T await(CompletableFuture<T> future) {
		return EtcdFutures.await(future, this.requestTimeout);
	}

	private static boolean isLeaseNotFound(Throwable failure) {
		return failure instanceof EtcdException etcdException && etcdException.getErrorCode() == ErrorCode.NOT_FOUND;
	}

	private static String describe(RuntimeException failure) {
		return EtcdFailure.of(failure).description() + ": " + EtcdFailure.messageOf(failure);
	}

	private static String text(ByteSequence key) {
		return key.toString(StandardCharsets.UTF_8);
	}

	/**
	 * States of the registration.
	 */
	enum State {

		/** Nothing registered. */
		IDLE,

		/** Every key is in etcd under a live lease. */
		REGISTERED,

		/** The registration was lost or could not be written yet; attempts continue. */
		RESTORING,

		/** The attempts ran out (service.retry.max-attempts). */
		FAILED,

		/** Closed for good. */
		CLOSED

	}

	private final class KeepAliveObserver implements StreamObserver<LeaseKeepAliveResponse> {

		private final long observedLeaseId;

		KeepAliveObserver(long observedLeaseId) {
			this.observedLeaseId = observedLeaseId;
		}

		@Override
		public void onNext(LeaseKeepAliveResponse response) {
		}

		/**
		 * jetcd reports both a lease that is gone and a broken stream here. It re-opens a broken stream by itself and
		 * calls {@link #onCompleted()} if the lease then runs out, so only a lease that is gone counts as lost.
		 */
		@Override
		public void onError(Throwable error) {
			if (isLeaseNotFound(error)) {
				execute(() -> lost(this.observedLeaseId, error));
			}
			else {
				logger.debug("Keep-alive stream of lease " + Long.toHexString(this.observedLeaseId)
						+ " interrupted; jetcd re-opens it", error);
			}
		}

		@Override
		public void onCompleted() {
			execute(() -> lost(this.observedLeaseId, "the lease was not kept alive within its TTL"));
		}

	}

}
