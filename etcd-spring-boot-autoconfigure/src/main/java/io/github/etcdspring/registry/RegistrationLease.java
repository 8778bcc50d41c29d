package io.github.etcdspring.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdspring.client.EtcdFailure;
import io.grpc.stub.StreamObserver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The lease under which this application's instance keys live, and what keeps them there.
 * <p>
 * All keys share one lease, kept alive by jetcd's keep-alive stream. The registration counts as lost when the
 * keep-alive fails or stops, when one of the keys is deleted (by someone else, or because the lease expired), or when
 * the periodic check finds a key missing. A lost registration is restored by granting a new lease and writing every
 * key again in one transaction, retried with a delay until it works or the attempts run out. Each loss and each
 * restoration is logged once and published as an application event.
 * <p>
 * Everything runs on one registry thread; the public methods wait for it.
 *
 * @author etcd-spring-boot contributors
 */
class RegistrationLease {

	private static final Log logger = LogFactory.getLog(RegistrationLease.class);

	private final Client client;

	private final long ttlSeconds;

	private final EtcdServiceProperties.Retry retry;

	private final Duration requestTimeout;

	private final ApplicationEventPublisher eventPublisher;

	private final Object eventSource;

	private final ScheduledExecutorService executor;

	private volatile Thread registryThread;

	// Confined to the registry thread.
	private final Map<ByteSequence, ByteSequence> entries = new LinkedHashMap<>();

	private final Map<ByteSequence, Watch.Watcher> deletionWatchers = new HashMap<>();

	private long leaseId;

	private CloseableClient keepAlive;

	private int failedAttempts;

	private ScheduledFuture<?> retryTask;

	private ScheduledFuture<?> checkTask;

	// Read by any thread.
	private volatile State state = State.IDLE;

	private volatile String lastFailure;

	private volatile RuntimeException lastFailureCause;

	RegistrationLease(Client client, Duration ttl, EtcdServiceProperties.Retry retry, Duration requestTimeout,
			ApplicationEventPublisher eventPublisher, Object eventSource) {
		this.client = client;
		this.ttlSeconds = Math.max(1, ttl.toSeconds());
		this.retry = retry;
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
	 * Write a key under the lease, granting the lease first if there is none. When the key cannot be written, the
	 * registry keeps trying in the background and the failure is thrown.
	 * @param key the key
	 * @param value the value
	 */
	void put(ByteSequence key, ByteSequence value) {
		call(() -> {
			this.entries.put(key, value);
			switch (this.state) {
				case IDLE -> establishOrRestoreLater();
				case REGISTERED -> {
					try {
						await(this.client.getKVClient()
							.put(key, value, PutOption.builder().withLeaseId(this.leaseId).build()));
						watchDeletion(key, this.leaseId);
					}
					catch (RuntimeException ex) {
						lost(this.leaseId, ex);
					}
				}
				case RESTORING, FAILED -> {
					this.failedAttempts = 0;
					restore();
				}
				case CLOSED -> throw new IllegalStateException("The etcd service registry is closed");
			}
			if (this.state != State.REGISTERED) {
				throw (this.lastFailureCause != null) ? this.lastFailureCause
						: new IllegalStateException(this.lastFailure);
			}
			return null;
		});
	}

	/**
	 * Remove a key; revoke the lease when it was the last one.
	 * @param key the key
	 */
	void remove(ByteSequence key) {
		call(() -> {
			ByteSequence value = this.entries.remove(key);
			if (value == null) {
				return null;
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
				// Only our own version of the key: another process may have taken the instance id over.
				await(this.client.getKVClient()
					.txn()
					.If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(value)))
					.Then(Op.delete(key, DeleteOption.DEFAULT))
					.commit());
			}
			return null;
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

	String lastFailure() {
		return this.lastFailure;
	}

	long leaseId() {
		return this.leaseId;
	}

	Duration ttl() {
		return Duration.ofSeconds(this.ttlSeconds);
	}

	boolean isRegistered(ByteSequence key) {
		return call(() -> this.entries.containsKey(key));
	}

	// ---------------------------------------------------------------- the registry thread

	private void establishOrRestoreLater() {
		try {
			establish();
			this.state = State.REGISTERED;
		}
		catch (RuntimeException ex) {
			this.state = State.RESTORING;
			recordFailure(ex);
			scheduleRestore();
		}
	}

	/**
	 * Grant a lease, write every key under it in one transaction, then keep it alive and watch the keys.
	 */
	private void establish() {
		long newLeaseId = await(this.client.getLeaseClient().grant(this.ttlSeconds)).getID();
		TxnResponse response;
		try {
			PutOption withLease = PutOption.builder().withLeaseId(newLeaseId).build();
			response = await(this.client.getKVClient()
				.txn()
				.Then(this.entries.entrySet()
					.stream()
					.map((entry) -> Op.put(entry.getKey(), entry.getValue(), withLease))
					.toArray(Op[]::new))
				.commit());
		}
		catch (RuntimeException ex) {
			this.client.getLeaseClient().revoke(newLeaseId);
			throw ex;
		}
		this.leaseId = newLeaseId;
		this.keepAlive = this.client.getLeaseClient().keepAlive(newLeaseId, new KeepAliveObserver(newLeaseId));
		long fromRevision = response.getHeader().getRevision() + 1;
		this.entries.keySet().forEach((key) -> watchDeletion(key, newLeaseId, fromRevision));
		if (this.checkTask == null) {
			long interval = this.retry.getCheckInterval().toMillis();
			this.checkTask = this.executor.scheduleWithFixedDelay(this::check, interval, interval,
					TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * The registration is gone (or going): restore it.
	 */
	private void lost(long lostLeaseId, Object cause) {
		if (lostLeaseId != this.leaseId || this.state != State.REGISTERED) {
			return;
		}
		this.state = State.RESTORING;
		String reason = (cause instanceof Throwable failure) ? EtcdFailure.of(failure).description() + ": "
				+ EtcdFailure.messageOf(failure) : cause.toString();
		EtcdFailure failure = (cause instanceof Throwable throwable) ? EtcdFailure.of(throwable) : EtcdFailure.OTHER;
		logger.warn("The etcd registration of " + keys() + " was lost (" + reason + "); registering again");
		this.lastFailure = reason;
		this.eventPublisher.publishEvent(new EtcdRegistrationLostEvent(this.eventSource, keys(), failure, reason));
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
		stopKeepingAlive();
		try {
			establish();
		}
		catch (RuntimeException ex) {
			this.failedAttempts++;
			recordFailure(ex);
			if (this.retry.getMaxAttempts() > 0 && this.failedAttempts >= this.retry.getMaxAttempts()) {
				this.state = State.FAILED;
				logger.error("Gave up registering " + keys() + " in etcd after " + this.failedAttempts
						+ " attempts: " + this.lastFailure + " (service.retry.max-attempts)");
				return;
			}
			logger.debug("Could not register " + keys() + " in etcd yet: " + this.lastFailure);
			scheduleRestore();
			return;
		}
		int attempts = this.failedAttempts + 1;
		this.failedAttempts = 0;
		this.lastFailure = null;
		this.lastFailureCause = null;
		this.state = State.REGISTERED;
		if (previousLeaseId != 0) {
			// Its keys now live under the new lease: revoking it only frees it.
			this.client.getLeaseClient().revoke(previousLeaseId);
		}
		logger.info("Registered " + keys() + " in etcd again under lease " + Long.toHexString(this.leaseId) + " after "
				+ attempts + " attempt(s)");
		this.eventPublisher
			.publishEvent(new EtcdRegistrationRestoredEvent(this.eventSource, keys(), this.leaseId, attempts));
	}

	/**
	 * The watches and the keep-alive see most losses at once; this finds the rest, such as a key deleted while the
	 * watch was reconnecting to a cluster that lost its data.
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
		}
	}

	private void scheduleRestore() {
		this.retryTask = this.executor.schedule(this::restore, this.retry.getDelay().toMillis(),
				TimeUnit.MILLISECONDS);
	}

	private void watchDeletion(ByteSequence key, long watchedLeaseId) {
		watchDeletion(key, watchedLeaseId, 0);
	}

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
		this.deletionWatchers.put(key, this.client.getWatchClient().watch(key, option, (response) -> {
			for (WatchEvent event : response.getEvents()) {
				if (event.getEventType() == WatchEvent.EventType.DELETE
						&& event.getPrevKV().getLease() == watchedLeaseId) {
					execute(() -> lost(watchedLeaseId, "its key " + text(key) + " was deleted"));
				}
			}
		}, (error) -> logger.debug("Watch of " + text(key) + " interrupted; jetcd resumes it", error)));
	}

	private void stopKeepingAlive() {
		if (this.keepAlive != null) {
			this.keepAlive.close();
			this.keepAlive = null;
		}
		this.deletionWatchers.values().forEach(Watch.Watcher::close);
		this.deletionWatchers.clear();
	}

	private void releaseLease(boolean revoke) {
		stopKeepingAlive();
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

	private void recordFailure(RuntimeException ex) {
		this.lastFailure = EtcdFailure.of(ex).description() + ": " + EtcdFailure.messageOf(ex);
		this.lastFailureCause = ex;
	}

	private List<String> keys() {
		return this.entries.keySet().stream().map(RegistrationLease::text).toList();
	}

	private void execute(Runnable task) {
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// closed: late keep-alive and watch callbacks have nothing left to restore
		}
	}

	private <T> T call(Callable<T> task) {
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
		try {
			return future.get(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for etcd", ex);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException(ex.getCause());
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw new IllegalStateException("etcd did not answer within " + this.requestTimeout, ex);
		}
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
			if (error instanceof EtcdException etcdException && etcdException.getErrorCode() == ErrorCode.NOT_FOUND) {
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
