package io.github.etcdspring.sample.page;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdspring.template.EtcdPrefixListener;
import io.github.etcdspring.template.EtcdPrefixSubscription;
import io.github.etcdspring.template.EtcdTemplate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The locks or elections under a prefix, whoever holds or leads them: this application,
 * another one, or {@code etcdctl lock} and {@code etcdctl elect}. Each is a queue of keys
 * {@code {queue}/{lease id in hex}}, as etcd's Go concurrency package writes them, and
 * the key created first holds the lock, or leads with its value as the proposal. A prefix
 * subscription of the {@link EtcdTemplate} tells each change; the queues are then read
 * again in create order, which the subscription's values do not carry.
 *
 * @author etcd-spring-boot contributors
 */
final class ContenderQueues {

	private static final Log logger = LogFactory.getLog(ContenderQueues.class);

	private static final long READ_TIMEOUT_SECONDS = 5;

	private final Client client;

	private final EtcdTemplate etcd;

	private final String root;

	private final String namePrefix;

	private volatile List<Queue> queues = List.of();

	private @Nullable EtcdPrefixSubscription subscription;

	/**
	 * The queues under a root.
	 * @param client the client, to read the queues in create order
	 * @param etcd the template, to follow the root
	 * @param root the keys followed, ending with '/', e.g. {@code locks/}
	 * @param namePrefix the part of each queue's key that is not its name, e.g.
	 * {@code locks/}
	 */
	ContenderQueues(Client client, EtcdTemplate etcd, String root, String namePrefix) {
		this.client = client;
		this.etcd = etcd;
		this.root = root;
		this.namePrefix = namePrefix;
	}

	/**
	 * The queues that have a holder, by name.
	 * @return the queues
	 */
	List<Queue> queues() {
		return this.queues;
	}

	void start(Runnable changed) {
		this.subscription = this.etcd.watchPrefix(this.root, new EtcdPrefixListener() {

			@Override
			public void onSnapshot(Map<String, byte[]> values, long revision) {
				read(changed);
			}

			@Override
			public void onChange(String key, byte @Nullable [] value, long revision) {
				read(changed);
			}

		});
	}

	void stop() {
		if (this.subscription != null) {
			this.subscription.close();
			this.subscription = null;
		}
	}

	private void read(Runnable changed) {
		GetOption inCreateOrder = GetOption.builder()
			.isPrefix(true)
			.withSortField(GetOption.SortTarget.CREATE)
			.withSortOrder(GetOption.SortOrder.ASCEND)
			.build();
		List<KeyValue> keys;
		try {
			keys = this.client.getKVClient()
				.get(ByteSequence.from(this.root, StandardCharsets.UTF_8), inCreateOrder)
				.get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
				.getKvs();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		catch (ExecutionException | TimeoutException ex) {
			// the next change reads again
			logger.warn("Could not read the keys under '" + this.root + "' for the registry page: " + ex);
			return;
		}
		this.queues = queuesOf(keys);
		changed.run();
	}

	private List<Queue> queuesOf(List<KeyValue> inCreateOrder) {
		Map<String, List<KeyValue>> byName = new LinkedHashMap<>();
		for (KeyValue keyValue : inCreateOrder) {
			String key = keyValue.getKey().toString(StandardCharsets.UTF_8);
			int lastSlash = key.lastIndexOf('/');
			if (lastSlash > this.namePrefix.length() && key.startsWith(this.namePrefix)) {
				byName.computeIfAbsent(key.substring(this.namePrefix.length(), lastSlash), (name) -> new ArrayList<>())
					.add(keyValue);
			}
		}
		List<Queue> read = new ArrayList<>();
		byName.forEach((name, contenders) -> {
			KeyValue first = contenders.get(0);
			String key = first.getKey().toString(StandardCharsets.UTF_8);
			read.add(new Queue(name, key.substring(key.lastIndexOf('/') + 1),
					first.getValue().toString(StandardCharsets.UTF_8), first.getCreateRevision(), contenders.size()));
		});
		read.sort(Comparator.comparing(Queue::name));
		return List.copyOf(read);
	}

	/**
	 * A lock or an election.
	 *
	 * @param name its name, e.g. {@code orders}
	 * @param lease the lease of the key that holds or leads, in hex, as in the key
	 * @param value that key's value: empty for a lock, the proposal for an election
	 * @param sinceRevision the key's create revision, the fencing token
	 * @param contenders the keys in the queue, the holder's included
	 */
	record Queue(String name, String lease, String value, long sinceRevision, int contenders) {
	}

}
