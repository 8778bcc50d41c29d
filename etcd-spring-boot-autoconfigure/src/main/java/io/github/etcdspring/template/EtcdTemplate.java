package io.github.etcdspring.template;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdspring.client.EtcdFutures;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.watch.KeyRange;
import io.github.etcdspring.watch.PrefixWatch;
import io.github.etcdspring.watch.Recovery;
import io.github.etcdspring.watch.WatchListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Reads, writes and deletes plain keys of etcd, as strings (UTF-8) or bytes, and follows
 * a prefix, like go-kit's {@code GetEntries} and {@code WatchPrefix}. Keys are relative
 * to {@code etcd.namespace}, like every key of this starter, since the template uses the
 * shared {@link Client}. Every request waits at most {@code etcd.request-timeout}.
 * <p>
 * {@link #watchPrefix} delivers a snapshot at a revision, then every change after it,
 * with the {@link PrefixWatch} of service discovery: it resumes after a disconnect, and
 * delivers a new snapshot when the changes in between were compacted or the cluster was
 * restored. Each subscription has its own thread, until it is closed (or the application
 * context is).
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdTemplate implements DisposableBean {

	private static final Log logger = LogFactory.getLog(EtcdTemplate.class);

	private final Client client;

	private final Duration requestTimeout;

	private final Duration retryDelay;

	private final Duration maxRetryDelay;

	private final Set<PrefixSubscription> subscriptions = ConcurrentHashMap.newKeySet();

	public EtcdTemplate(Client client, Duration requestTimeout, Duration retryDelay, Duration maxRetryDelay) {
		this.client = client;
		this.requestTimeout = requestTimeout;
		this.retryDelay = retryDelay;
		this.maxRetryDelay = maxRetryDelay;
	}

	/**
	 * The value of a key, as UTF-8 text.
	 * @param key the key
	 * @return the value, empty when there is no such key
	 */
	public Optional<String> get(String key) {
		return getBytes(key).map((value) -> new String(value, StandardCharsets.UTF_8));
	}

	/**
	 * The value of a key.
	 * @param key the key
	 * @return the value, empty when there is no such key
	 */
	public Optional<byte[]> getBytes(String key) {
		List<KeyValue> found = await(this.client.getKVClient().get(bytes(key))).getKvs();
		return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0).getValue().getBytes());
	}

	/**
	 * The values under a prefix.
	 * @param prefix the prefix, e.g. {@code "jobs/"}
	 * @return the values by key, in key order
	 */
	public Map<String, String> getPrefix(String prefix) {
		Map<String, String> values = new LinkedHashMap<>();
		getPrefixBytes(prefix).forEach((key, value) -> values.put(key, new String(value, StandardCharsets.UTF_8)));
		return values;
	}

	/**
	 * The values under a prefix.
	 * @param prefix the prefix
	 * @return the values by key, in key order
	 */
	public Map<String, byte[]> getPrefixBytes(String prefix) {
		return toMap(readPrefix(prefix));
	}

	/**
	 * Write a key, as UTF-8 text.
	 * @param key the key
	 * @param value the value
	 */
	public void put(String key, String value) {
		put(key, value.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Write a key.
	 * @param key the key
	 * @param value the value
	 */
	public void put(String key, byte[] value) {
		await(this.client.getKVClient().put(bytes(key), ByteSequence.from(value)));
	}

	/**
	 * Delete a key.
	 * @param key the key
	 * @return whether it existed
	 */
	public boolean delete(String key) {
		return await(this.client.getKVClient().delete(bytes(key))).getDeleted() > 0;
	}

	/**
	 * Follow a prefix: a snapshot, then every change after it, on the subscription's
	 * thread. A snapshot that cannot be read is retried with the backoff of
	 * {@code etcd.retry}.
	 * @param prefix the prefix
	 * @param listener the listener
	 * @return the subscription, to close when done
	 */
	public EtcdPrefixSubscription watchPrefix(String prefix, EtcdPrefixListener listener) {
		PrefixSubscription subscription = new PrefixSubscription(prefix, listener);
		this.subscriptions.add(subscription);
		return subscription.open();
	}

	/**
	 * Close the subscriptions still open.
	 */
	@Override
	public void destroy() {
		this.subscriptions.forEach(PrefixSubscription::close);
	}

	private GetResponse readPrefix(String prefix) {
		return await(this.client.getKVClient().get(bytes(prefix), GetOption.builder().isPrefix(true).build()));
	}

	private static Map<String, byte[]> toMap(GetResponse response) {
		Map<String, byte[]> values = new LinkedHashMap<>();
		response.getKvs().forEach((keyValue) -> values.put(text(keyValue.getKey()), keyValue.getValue().getBytes()));
		return values;
	}

	private <T> T await(CompletableFuture<T> future) {
		return EtcdFutures.await(future, this.requestTimeout);
	}

	private static ByteSequence bytes(String value) {
		return ByteSequence.from(value, StandardCharsets.UTF_8);
	}

	private static String text(ByteSequence value) {
		return value.toString(StandardCharsets.UTF_8);
	}

	private final class PrefixSubscription implements EtcdPrefixSubscription, WatchListener {

		private final String prefix;

		private final EtcdPrefixListener listener;

		private final ScheduledExecutorService executor;

		private final PrefixWatch watch;

		PrefixSubscription(String prefix, EtcdPrefixListener listener) {
			this.prefix = prefix;
			this.listener = listener;
			CustomizableThreadFactory threads = new CustomizableThreadFactory("etcd-watch-prefix-");
			threads.setDaemon(true);
			this.executor = Executors.newSingleThreadScheduledExecutor(threads);
			this.watch = new PrefixWatch(EtcdTemplate.this.client, this.executor,
					new RetryBackoff(EtcdTemplate.this.retryDelay, EtcdTemplate.this.maxRetryDelay),
					EtcdTemplate.this.requestTimeout, Recovery.RESUME, "the etcd keys under '" + prefix + "'", this);
		}

		PrefixSubscription open() {
			this.watch.open();
			this.executor.execute(this::readSnapshot);
			return this;
		}

		private void readSnapshot() {
			GetResponse read;
			try {
				read = readPrefix(this.prefix);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not read the etcd keys under '" + this.prefix + "'; retrying", ex);
				this.watch.retryLater(this::readSnapshot);
				return;
			}
			this.watch.attemptSucceeded();
			notifySafely(() -> this.listener.onSnapshot(toMap(read), read.getHeader().getRevision()));
			this.watch.start(List.of(KeyRange.prefix(bytes(this.prefix))), read.getHeader().getRevision(),
					read.getHeader().getClusterId());
		}

		@Override
		public void onChanges(List<WatchEvent> changes) {
			for (WatchEvent event : changes) {
				byte[] value = (event.getEventType() == WatchEvent.EventType.PUT)
						? event.getKeyValue().getValue().getBytes() : null;
				notifySafely(() -> this.listener.onChange(text(event.getKeyValue().getKey()), value,
						event.getKeyValue().getModRevision()));
			}
		}

		@Override
		public void onReset(Reset reset, @Nullable Throwable cause) {
			readSnapshot();
		}

		@Override
		public void close() {
			EtcdTemplate.this.subscriptions.remove(this);
			this.watch.close();
			this.executor.shutdownNow();
		}

		private void notifySafely(Runnable call) {
			try {
				call.run();
			}
			catch (RuntimeException ex) {
				logger.error("A listener of the etcd keys under '" + this.prefix + "' failed", ex);
			}
		}

	}

}
