package io.github.etcdspring.config;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping and destroying the watcher while it retries or is busy: etcd's own count of
 * the watches it serves shows whether one is left running.
 */
@ExtendWith(OutputCaptureExtension.class)
class EtcdConfigWatcherLifecycleTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember();

	@Test
	void aRetryScheduledBeforeStopStartsNoWatchAfterIt(CapturedOutput output) {
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd,
				"--test.compact-before-watch=after compaction", "--etcd.retry.delay=1s", "--etcd.retry.max-delay=2s")) {
			// the first watch failed, its revision being compacted: a read and a new
			// watch are due in about a second
			await().atMost(TIMEOUT).until(() -> output.getOut().contains("of the etcd configuration was compacted"));
			context.getBean(EtcdConfigWatcher.class).stop();
			// etcd keeps counting a watch cancelled for compaction until its stream
			// closes: count what starts
			long reads = reads();
			long watchStreams = watchStreams();
			await().during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(List.of(reads(), watchStreams())).as("reads and watches after stop()")
					.containsExactly(reads, watchStreams));
		}
	}

	@Test
	void destroyClosesTheWatchWhileTheWatchThreadIsBusy() throws Exception {
		EtcdKeys.put(etcd.client(), "config/application/greeting/message", "before");
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean refreshing = new AtomicBoolean();
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd)) {
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(watchers()).isEqualTo(1));
			// a refresh that takes long and does not give way to interruption, as a
			// blocking call may
			context.addApplicationListener((ApplicationListener<ApplicationEvent>) (event) -> {
				if (event instanceof EnvironmentChangeEvent) {
					refreshing.set(true);
					awaitIgnoringInterrupts(release);
				}
			});
			try {
				EtcdKeys.put(etcd.client(), "config/application/greeting/message", "refreshing slowly");
				await().atMost(TIMEOUT).untilTrue(refreshing);
				context.getBean(EtcdConfigWatcher.class).destroy();
				await().atMost(TIMEOUT)
					.untilAsserted(() -> assertThat(watchers()).as("watches after destroy()").isZero());
			}
			finally {
				release.countDown();
			}
		}
	}

	private static long reads() {
		return etcd.metric(0,
				"grpc_server_started_total{grpc_method=\"Txn\",grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\"}");
	}

	private static long watchStreams() {
		return etcd.metric(0, "grpc_server_started_total{grpc_method=\"Watch\",grpc_service=\"etcdserverpb.Watch\","
				+ "grpc_type=\"bidi_stream\"}");
	}

	private static long watchers() {
		return etcd.metric(0, "etcd_debugging_mvcc_watcher_total");
	}

	private static void awaitIgnoringInterrupts(CountDownLatch latch) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		boolean interrupted = false;
		while (latch.getCount() > 0 && System.nanoTime() < deadline) {
			try {
				latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

}
