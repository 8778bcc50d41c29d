package io.github.etcdspring.template;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.CompactOption;
import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import io.github.etcdspring.test.TcpProxy;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link EtcdTemplate} against a real etcd.
 */
class EtcdTemplateTests {

	private static final Duration BOUND = Duration.ofSeconds(10);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class))
		.withPropertyValues(etcd.springProperties())
		.withPropertyValues("etcd.namespace=/tenant");

	@Test
	void readsWritesAndDeletesTextAndBytesUnderTheNamespace() {
		this.contextRunner.run((context) -> {
			EtcdTemplate template = context.getBean(EtcdTemplate.class);
			template.put("jobs/a", "first");
			template.put("jobs/b", new byte[] { 0, 1, 2 });
			template.put("other", "x");
			assertThat(template.get("jobs/a")).contains("first");
			assertThat(template.getBytes("jobs/b"))
				.hasValueSatisfying((value) -> assertThat(value).containsExactly(0, 1, 2));
			assertThat(template.get("missing")).isEmpty();
			assertThat(template.getPrefix("jobs/")).containsOnlyKeys("jobs/a", "jobs/b");
			assertThat(template.getPrefixBytes("jobs/").keySet()).containsExactly("jobs/a", "jobs/b");
			assertThat(EtcdKeys.get(etcd.client(), "/tenant/jobs/a")).isEqualTo("first");
			assertThat(template.delete("jobs/a")).isTrue();
			assertThat(template.delete("jobs/a")).isFalse();
			assertThat(template.getPrefix("jobs/")).containsOnlyKeys("jobs/b");
		});
	}

	@Test
	void watchPrefixDeliversASnapshotThenEveryChangeAfterIt() {
		this.contextRunner.run((context) -> {
			EtcdTemplate template = context.getBean(EtcdTemplate.class);
			template.put("jobs/a", "1");
			template.put("elsewhere", "1");
			Recorder recorder = new Recorder();
			try (EtcdPrefixSubscription subscription = template.watchPrefix("jobs/", recorder)) {
				await().atMost(BOUND).until(() -> !recorder.calls.isEmpty());
				assertThat(recorder.calls.get(0)).isEqualTo("snapshot {jobs/a=1}");
				template.put("jobs/b", "2");
				template.put("elsewhere", "2");
				template.delete("jobs/a");
				await().atMost(BOUND).until(() -> recorder.calls.size() >= 3);
				assertThat(recorder.calls).containsExactly("snapshot {jobs/a=1}", "put jobs/b=2", "delete jobs/a");
			}
		});
	}

	@Test
	void aSubscriptionOpenedBeforeEtcdHasTheKeysSeesThemAsChanges() {
		this.contextRunner.run((context) -> {
			EtcdTemplate template = context.getBean(EtcdTemplate.class);
			Recorder recorder = new Recorder();
			try (EtcdPrefixSubscription subscription = template.watchPrefix("jobs/", recorder)) {
				await().atMost(BOUND).until(() -> !recorder.calls.isEmpty());
				template.put("jobs/a", "1");
				await().atMost(BOUND).until(() -> recorder.calls.size() >= 2);
				assertThat(recorder.calls).containsExactly("snapshot {}", "put jobs/a=1");
			}
		});
	}

	@Test
	void aSubscriptionWhoseRevisionWasCompactedWhileCutOffStartsAgainWithANewSnapshot() {
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0))) {
			this.contextRunner
				.withPropertyValues("etcd.endpoints=" + proxy.endpoint(), "etcd.retry.delay=100ms",
						"etcd.retry.max-delay=300ms")
				.run((context) -> {
					EtcdTemplate template = context.getBean(EtcdTemplate.class);
					template.put("jobs/a", "1");
					Recorder recorder = new Recorder();
					try (EtcdPrefixSubscription subscription = template.watchPrefix("jobs/", recorder)) {
						await().atMost(BOUND).until(() -> !recorder.calls.isEmpty());
						proxy.cut();
						EtcdKeys.put(etcd.client(), "/tenant/jobs/b", "2");
						EtcdKeys.delete(etcd.client(), "/tenant/jobs/a");
						long revision = EtcdKeys
							.await(etcd.client().getKVClient().put(bytes("/tenant/jobs/c"), bytes("3")))
							.getHeader()
							.getRevision();
						EtcdKeys.await(etcd.client()
							.getKVClient()
							.compact(revision, CompactOption.builder().withCompactPhysical(true).build()));
						proxy.restore();
						await().atMost(BOUND).until(() -> recorder.calls.size() >= 2);
						// the changes in between are gone from etcd's history: a snapshot
						// of the present replaces them
						assertThat(recorder.calls).containsExactly("snapshot {jobs/a=1}",
								"snapshot {jobs/b=2, jobs/c=3}");
						template.put("jobs/d", "4");
						await().atMost(BOUND).until(() -> recorder.calls.size() >= 3);
						assertThat(recorder.calls.get(2)).isEqualTo("put jobs/d=4");
					}
				});
		}
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	private static final class Recorder implements EtcdPrefixListener {

		final List<String> calls = new CopyOnWriteArrayList<>();

		@Override
		public void onSnapshot(Map<String, byte[]> values, long revision) {
			StringBuilder text = new StringBuilder();
			values.forEach((key, value) -> text.append((text.length() > 0) ? ", " : "")
				.append(key)
				.append('=')
				.append(new String(value, StandardCharsets.UTF_8)));
			this.calls.add("snapshot {" + text + "}");
		}

		@Override
		public void onChange(String key, byte @Nullable [] value, long revision) {
			this.calls.add(
					(value != null) ? "put " + key + "=" + new String(value, StandardCharsets.UTF_8) : "delete " + key);
		}

	}

}
