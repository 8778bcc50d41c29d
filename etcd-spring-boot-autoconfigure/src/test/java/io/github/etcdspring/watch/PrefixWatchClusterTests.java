package io.github.etcdspring.watch;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import io.github.etcdspring.test.TcpProxy;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.etcdspring.test.EtcdKeys.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link PrefixWatch} against a three-member cluster that loses members: a watch that
 * breaks with the member it was on resumes on another one and misses no change, however
 * soon after the resumption it comes (a deregistration missed that way once failed
 * EtcdServiceRegistryClusterTests).
 */
class PrefixWatchClusterTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.threeMembers();

	private final List<String> changes = new CopyOnWriteArrayList<>();

	/**
	 * A request retried while a member's death breaks the connection it was sent on.
	 */
	private static <T> T retried(Callable<T> request) {
		AtomicReference<T> result = new AtomicReference<>();
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
			result.set(request.call());
			return true;
		});
		return result.get();
	}

	private PrefixWatch watch(Client client, ScheduledExecutorService executor) {
		return new PrefixWatch(client, executor, new RetryBackoff(Duration.ofMillis(100), Duration.ofMillis(500)),
				Duration.ofSeconds(5), Recovery.RESUME, "the test keys", new WatchListener() {

					@Override
					public void onChanges(List<WatchEvent> events) {
						events.forEach((event) -> PrefixWatchClusterTests.this.changes.add(event.getEventType() + " "
								+ event.getKeyValue().getKey().toString(StandardCharsets.UTF_8)));
					}

					@Override
					public void onReset(WatchListener.Reset reset, @Nullable Throwable cause) {
						PrefixWatchClusterTests.this.changes.add("RESET " + reset);
					}

				});
	}

	/**
	 * etcd before 3.4.34 and 3.5.15 answers a watch that starts at the revision a
	 * compaction kept without that revision's deletions (etcd-io/etcd#18089): a deletion
	 * made and compacted while the watch was cut off must come back as a compacted
	 * revision to read again, never be skipped.
	 */
	@Test
	void aDeletionCompactedWhileCutOffIsReadAgainNotLost() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0));
				Client client = Client.builder().endpoints(proxy.endpoint()).build();
				Client writer = etcd.newClient()) {
			EtcdKeys.put(writer, "cut/a", "x");
			long read = EtcdKeys.await(client.getKVClient().get(bytes("cut/"))).getHeader().getRevision();
			PrefixWatch watch = watch(client, executor);
			watch.open();
			executor.execute(() -> watch.start(List.of(KeyRange.prefix(bytes("cut/"))), read, 0));
			EtcdKeys.put(writer, "cut/b", "x");
			await().atMost(Duration.ofSeconds(15)).until(() -> this.changes.contains("PUT cut/b"));
			proxy.cut();
			long deleted = EtcdKeys.await(writer.getKVClient().delete(bytes("cut/a"))).getHeader().getRevision();
			EtcdKeys.await(
					writer.getKVClient().compact(deleted, CompactOption.builder().withCompactPhysical(true).build()));
			proxy.restore();
			await().atMost(Duration.ofSeconds(15))
				.until(() -> this.changes.contains("DELETE cut/a") || this.changes.contains("RESET COMPACTED"));
			watch.close();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void aWatchThatResumesOnAnotherMemberMissesNoChange() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
		try (Client client = etcd.newClient(); Client writer = etcd.newClient()) {
			long read = EtcdKeys.await(client.getKVClient().get(bytes("ha/"))).getHeader().getRevision();
			PrefixWatch watch = watch(client, executor);
			watch.open();
			executor.execute(() -> watch.start(List.of(KeyRange.prefix(bytes("ha/"))), read, 0));
			for (int member = 0; member < 3; member++) {
				etcd.kill(member);
				try {
					long lease = retried(() -> EtcdKeys.await(writer.getLeaseClient().grant(3)).getID());
					String key = "ha/" + member;
					retried(() -> EtcdKeys.await(writer.getKVClient()
						.put(bytes(key), bytes("x"), PutOption.builder().withLeaseId(lease).build())));
					await().atMost(Duration.ofSeconds(15)).until(() -> this.changes.contains("PUT " + key));
					retried(() -> EtcdKeys.await(writer.getKVClient().delete(bytes(key))));
					retried(() -> EtcdKeys.await(writer.getLeaseClient().revoke(lease)));
					await().atMost(Duration.ofSeconds(15)).until(() -> this.changes.contains("DELETE " + key));
				}
				finally {
					etcd.restart(member);
				}
			}
			watch.close();
			assertThat(this.changes).as("resumed, never read again").noneMatch((change) -> change.startsWith("RESET"));
		}
		finally {
			executor.shutdownNow();
		}
	}

}
