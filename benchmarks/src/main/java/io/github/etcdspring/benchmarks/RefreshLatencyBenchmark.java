package io.github.etcdspring.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdspring.benchmarks.refresh.RefreshApplication;
import io.github.etcdspring.benchmarks.refresh.RefreshApplication.RefreshTimeline;
import io.github.etcdspring.benchmarks.refresh.RefreshApplication.RefreshedValue;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * How long a put in etcd takes to reach a {@code @RefreshScope} bean of an application
 * that imports its configuration with {@code spring.config.import=etcd:}, next to how
 * long etcd itself takes to deliver the change to a watch.
 * <p>
 * Two {@link RefreshApplication}s run in this JVM, one with
 * {@code etcd.config.watch.delay} at its default (50 ms), one with 1 ms, each reading its
 * own context ({@code config/refresh-delay-50ms/} and {@code config/refresh-delay-1ms/})
 * besides the shared {@code config/application/}. The benchmark changes
 * {@code bench.value} of one and then the other, one change at a time, each put only once
 * the previous refresh is over and the application's watcher thread is idle. From just
 * before each put is sent, it takes the moments when
 * <ul>
 * <li>the put's response arrives (etcd committed it);</li>
 * <li>the event reaches a raw jetcd watch of another client in this JVM (etcd's own
 * part);</li>
 * <li>the application's watcher publishes its {@code RefreshEvent} (after its quiet
 * period and a read of the contexts), Spring Cloud publishes
 * {@code EnvironmentChangeEvent} (configuration loaded again) and
 * {@code RefreshScopeRefreshedEvent} (refresh over), taken by listeners in the
 * application;</li>
 * <li>the {@code @RefreshScope} bean returns the new value: this thread calls it in a
 * tight loop ({@link Thread#onSpinWait()}), so it also pays for creating the bean
 * again.</li>
 * </ul>
 * Run with
 * {@code java -cp benchmarks.jar io.github.etcdspring.benchmarks.RefreshLatencyBenchmark [changes]}:
 * changes per application (default {@value #DEFAULT_CHANGES}, at most
 * {@value #MAX_CHANGES}), after {@value #WARMUP_CHANGES} unreported ones each. With
 * {@code -Dbenchmark.poll=park} the bean is polled every 50 microseconds instead.
 *
 * @author etcd-spring-boot contributors
 */
public final class RefreshLatencyBenchmark {

	/**
	 * {@code -Dbenchmark.poll=park}: poll the bean every 50 microseconds instead of
	 * spinning, which leaves the CPU to the other threads on a small machine.
	 */
	private static final boolean PARK = "park".equals(System.getProperty("benchmark.poll"));

	private static final int WARMUP_CHANGES = 50;

	private static final int DEFAULT_CHANGES = 200;

	private static final int MAX_CHANGES = 2000;

	private RefreshLatencyBenchmark() {
	}

	public static void main(String[] args) {
		int changes = (args.length > 0) ? Integer.parseInt(args[0]) : DEFAULT_CHANGES;
		if (changes < 1 || changes > MAX_CHANGES) {
			throw new IllegalArgumentException("changes must be from 1 to " + MAX_CHANGES);
		}
		try (BenchmarkEtcd etcd = BenchmarkEtcd.start();
				Client writer = etcd.newClient();
				Client watching = etcd.newClient()) {
			RawWatch rawWatch = new RawWatch(watching);
			List<Variant> variants = new ArrayList<>();
			try {
				variants.add(Variant.start(etcd, "50 ms (default)", "refresh-delay-50ms"));
				variants.add(Variant.start(etcd, "1 ms", "refresh-delay-1ms", "--etcd.config.watch.delay=1ms"));
				for (int i = 0; i < WARMUP_CHANGES + changes; i++) {
					for (Variant variant : variants) {
						variant.change(writer, rawWatch, i, i >= WARMUP_CHANGES);
					}
				}
				for (Variant variant : variants) {
					variant.checkRefreshCount(WARMUP_CHANGES + changes);
				}
				System.out.println("Latency of a put in etcd to a @RefreshScope bean, " + changes
						+ " changes per application after " + WARMUP_CHANGES + " unreported ones, in ms; the bean "
						+ (PARK ? "polled every 50 us" : "polled in a tight loop"));
				for (Variant variant : variants) {
					variant.print();
				}
			}
			finally {
				variants.forEach(Variant::close);
				rawWatch.close();
			}
		}
	}

	/**
	 * One application and what was measured of it.
	 */
	private static final class Variant {

		private final String delay;

		private final String key;

		private final ConfigurableApplicationContext context;

		private final RefreshedValue bean;

		private final RefreshTimeline timeline;

		private final List<Long> acknowledged = new ArrayList<>();

		private final List<Long> watched = new ArrayList<>();

		private final List<Long> refreshEvent = new ArrayList<>();

		private final List<Long> environmentChanged = new ArrayList<>();

		private final List<Long> scopeRefreshed = new ArrayList<>();

		private final List<Long> visible = new ArrayList<>();

		private final List<Long> watcherShare = new ArrayList<>();

		private final List<Long> springShare = new ArrayList<>();

		private Variant(String delay, String name, ConfigurableApplicationContext context) {
			this.delay = delay;
			this.key = "config/" + name + "/" + RefreshApplication.PROPERTY.replace('.', '/');
			this.context = context;
			this.bean = context.getBean(RefreshedValue.class);
			this.timeline = context.getBean(RefreshTimeline.class);
		}

		static Variant start(BenchmarkEtcd etcd, String delay, String name, String... extra) {
			List<String> arguments = ConfigBenchmarks.arguments(etcd.endpoint(), name, true, extra);
			return new Variant(delay, name, RefreshApplication.start(arguments.toArray(String[]::new)));
		}

		void change(Client writer, RawWatch rawWatch, int index, boolean record) {
			String value = this.key + " " + index;
			int refreshesBefore = this.timeline.refreshEvents();
			this.timeline.reset();
			CompletableFuture<Long> watchedAt = rawWatch.expect(this.key, value);
			long start = System.nanoTime();
			CompletableFuture<Long> acknowledgedAt = writer.getKVClient()
				.put(ConfigBenchmarks.bytes(this.key), ConfigBenchmarks.bytes(value))
				.thenApply((response) -> System.nanoTime());
			long deadline = start + ConfigBenchmarks.TIMEOUT.toNanos();
			while (!value.equals(this.bean.value())) {
				if (System.nanoTime() - deadline > 0) {
					throw new IllegalStateException(
							"The @RefreshScope bean did not return '" + value + "' within " + ConfigBenchmarks.TIMEOUT);
				}
				if (PARK) {
					LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
				}
				else {
					Thread.onSpinWait();
				}
			}
			long visibleAt = System.nanoTime();
			ConfigBenchmarks.await(() -> this.timeline.scopeRefreshedAt() != 0, "the end of the refresh");
			Thread watcher = this.timeline.refreshThread();
			if (!watcher.getName().startsWith(ConfigBenchmarks.WATCHER_THREAD_PREFIX)) {
				throw new IllegalStateException("The refresh ran on " + watcher.getName());
			}
			ConfigBenchmarks.awaitIdle(watcher);
			if (this.timeline.refreshEvents() != refreshesBefore + 1) {
				throw new IllegalStateException(
						(this.timeline.refreshEvents() - refreshesBefore) + " refresh events for one put");
			}
			long watchedNanos = BenchmarkRegistry.await(watchedAt) - start;
			long acknowledgedNanos = BenchmarkRegistry.await(acknowledgedAt) - start;
			if (record) {
				this.acknowledged.add(acknowledgedNanos);
				this.watched.add(watchedNanos);
				this.refreshEvent.add(this.timeline.refreshEventAt() - start);
				this.environmentChanged.add(this.timeline.environmentChangedAt() - start);
				this.scopeRefreshed.add(this.timeline.scopeRefreshedAt() - start);
				this.visible.add(visibleAt - start);
				this.watcherShare.add(this.timeline.refreshEventAt() - start - watchedNanos);
				this.springShare.add(visibleAt - this.timeline.refreshEventAt());
			}
		}

		void checkRefreshCount(int expected) {
			if (this.timeline.refreshEvents() != expected) {
				throw new IllegalStateException(
						this.timeline.refreshEvents() + " refreshes for " + expected + " changes (" + this.delay + ")");
			}
		}

		void print() {
			System.out.println();
			System.out.println("etcd.config.watch.delay = " + this.delay);
			System.out.println();
			System.out.println("| From just before the put to | median | p90 | p99 | max |");
			System.out.println("|---|---:|---:|---:|---:|");
			System.out.println(new Samples(this.acknowledged).millisRow("the put's response (etcd commit)"));
			System.out.println(new Samples(this.watched).millisRow("the raw jetcd watch event (etcd's part)"));
			System.out.println(new Samples(this.refreshEvent).millisRow("`RefreshEvent` published by the watcher"));
			System.out.println(new Samples(this.environmentChanged)
				.millisRow("`EnvironmentChangeEvent` (configuration loaded again)"));
			System.out
				.println(new Samples(this.scopeRefreshed).millisRow("`RefreshScopeRefreshedEvent` (refresh over)"));
			System.out
				.println(new Samples(this.visible).millisRow("**the `@RefreshScope` bean returns the new value**"));
			System.out.println(new Samples(this.watcherShare)
				.millisRow("watcher: raw watch event to `RefreshEvent` (difference per put)"));
			System.out.println(new Samples(this.springShare)
				.millisRow("Spring: `RefreshEvent` to the bean's new value (difference per put)"));
		}

		void close() {
			this.context.close();
		}

	}

	/**
	 * A prefix watch of {@code config/} by a client of its own, which records when each
	 * expected change arrives.
	 */
	private static final class RawWatch {

		private final Map<String, CompletableFuture<Long>> expected = new ConcurrentHashMap<>();

		private final Watch.Watcher watcher;

		RawWatch(Client client) {
			CompletableFuture<Void> created = new CompletableFuture<>();
			this.watcher = client.getWatchClient()
				.watch(ConfigBenchmarks.bytes("config/"),
						WatchOption.builder().isPrefix(true).withCreateNotify(true).build(), (response) -> {
							long now = System.nanoTime();
							if (response.isCreatedNotify()) {
								created.complete(null);
							}
							for (WatchEvent event : response.getEvents()) {
								CompletableFuture<Long> arrival = this.expected
									.remove(event.getKeyValue().getKey().toString(StandardCharsets.UTF_8) + "="
											+ event.getKeyValue().getValue().toString(StandardCharsets.UTF_8));
								if (arrival != null) {
									arrival.complete(now);
								}
							}
						});
			BenchmarkRegistry.await(created);
		}

		CompletableFuture<Long> expect(String key, String value) {
			CompletableFuture<Long> arrival = new CompletableFuture<>();
			this.expected.put(key + "=" + value, arrival);
			return arrival;
		}

		void close() {
			this.watcher.close();
		}

	}

}
