package io.github.etcdspring.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
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
 * that imports its configuration with {@code spring.config.import=etcd:}, with the
 * default settings, in each {@code etcd.config.watch.refresh-mode}, next to how long etcd
 * itself takes to deliver the change to a watch; and what a burst of 50 puts costs.
 * <p>
 * Two {@link RefreshApplication}s run in this JVM, one per refresh mode
 * ({@code in-place}, the default, and {@code full}), each reading its own context
 * ({@code config/refresh-in-place/} and {@code config/refresh-full/}) besides the shared
 * {@code config/application/}. The benchmark changes {@code bench.value} of one and then
 * the other, one change at a time, each put only once the previous refresh is over, the
 * application's watcher thread is idle and {@value #QUIET_MILLIS} ms have passed since
 * then (longer than the 100 ms {@code etcd.config.watch.delay}, so that each put is a
 * single change, not part of a burst). From just before each put is sent, it takes the
 * moments when
 * <ul>
 * <li>the put's response arrives (etcd committed it);</li>
 * <li>the event reaches a raw jetcd watch of another client in this JVM (etcd's own part:
 * the floor);</li>
 * <li>in {@code full} mode, the application's watcher publishes its {@code RefreshEvent}
 * (after a read of the contexts that finds a difference);</li>
 * <li>{@code EnvironmentChangeEvent} is published (the environment holds the new value:
 * Spring Cloud loaded the configuration again, or the watcher updated its sources in
 * place) and {@code RefreshScopeRefreshedEvent} (refresh over), taken by listeners in the
 * application;</li>
 * <li>the {@code @RefreshScope} bean returns the new value: this thread calls it in a
 * tight loop ({@link Thread#onSpinWait()}), so it also pays for creating the bean
 * again.</li>
 * </ul>
 * Then, for each application, {@value #BURSTS} bursts of {@value #BURST_PUTS} separate
 * puts of {@code bench.value}, back to back (each sent once the previous one's response
 * arrived), each burst after a quiet period: the refreshes each burst caused, counted
 * {@value #SETTLE_MILLIS} ms after the bean returned the last value (longer than the 1 s
 * {@code max-delay}), and the time from just before the last put to the bean returning
 * its value.
 * <p>
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

	private static final long QUIET_MILLIS = 150;

	private static final int BURSTS = 5;

	private static final int BURST_PUTS = 50;

	private static final long SETTLE_MILLIS = 1200;

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
				variants.add(Variant.start(etcd, "in-place (default)", "refresh-in-place"));
				variants.add(Variant.start(etcd, "full", "refresh-full", "--etcd.config.watch.refresh-mode=full"));
				for (int i = 0; i < WARMUP_CHANGES + changes; i++) {
					for (Variant variant : variants) {
						variant.change(writer, rawWatch, i, i >= WARMUP_CHANGES);
					}
				}
				for (Variant variant : variants) {
					variant.checkRefreshCount(WARMUP_CHANGES + changes);
				}
				for (int burst = 0; burst < BURSTS; burst++) {
					for (Variant variant : variants) {
						variant.burst(writer, burst);
					}
				}
				System.out.println("Latency of a put in etcd to a @RefreshScope bean, default settings, " + changes
						+ " single changes per application after " + WARMUP_CHANGES
						+ " unreported ones, in ms; the bean "
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

		private final String mode;

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

		private final List<Long> aboveFloor = new ArrayList<>();

		private final List<Integer> burstRefreshes = new ArrayList<>();

		private final List<Long> burstDuration = new ArrayList<>();

		private final List<Long> burstLastApplied = new ArrayList<>();

		private long idleSince;

		private Variant(String mode, String name, ConfigurableApplicationContext context) {
			this.mode = mode;
			this.key = "config/" + name + "/" + RefreshApplication.PROPERTY.replace('.', '/');
			this.context = context;
			this.bean = context.getBean(RefreshedValue.class);
			this.timeline = context.getBean(RefreshTimeline.class);
		}

		static Variant start(BenchmarkEtcd etcd, String mode, String name, String... extra) {
			List<String> arguments = ConfigBenchmarks.arguments(etcd.endpoint(), name, true, extra);
			return new Variant(mode, name, RefreshApplication.start(arguments.toArray(String[]::new)));
		}

		void change(Client writer, RawWatch rawWatch, int index, boolean record) {
			String value = this.key + " " + index;
			awaitQuiet();
			int refreshesBefore = this.timeline.refreshes();
			this.timeline.reset();
			CompletableFuture<Long> watchedAt = rawWatch.expect(this.key, value);
			long start = System.nanoTime();
			CompletableFuture<Long> acknowledgedAt = writer.getKVClient()
				.put(ConfigBenchmarks.bytes(this.key), ConfigBenchmarks.bytes(value))
				.thenApply((response) -> System.nanoTime());
			long visibleAt = awaitValue(value, start);
			ConfigBenchmarks.await(() -> this.timeline.scopeRefreshedAt() != 0, "the end of the refresh");
			awaitWatcherIdle();
			if (this.timeline.refreshes() != refreshesBefore + 1) {
				throw new IllegalStateException(
						(this.timeline.refreshes() - refreshesBefore) + " refreshes for one put (" + this.mode + ")");
			}
			long watchedNanos = BenchmarkRegistry.await(watchedAt) - start;
			long acknowledgedNanos = BenchmarkRegistry.await(acknowledgedAt) - start;
			if (record) {
				this.acknowledged.add(acknowledgedNanos);
				this.watched.add(watchedNanos);
				if (this.timeline.refreshEventAt() != 0) {
					this.refreshEvent.add(this.timeline.refreshEventAt() - start);
				}
				this.environmentChanged.add(this.timeline.environmentChangedAt() - start);
				this.scopeRefreshed.add(this.timeline.scopeRefreshedAt() - start);
				this.visible.add(visibleAt - start);
				this.aboveFloor.add(visibleAt - start - watchedNanos);
			}
		}

		/**
		 * Separate puts back to back, then wait for the last value and for every refresh
		 * the burst causes.
		 */
		void burst(Client writer, int index) {
			awaitQuiet();
			int refreshesBefore = this.timeline.refreshes();
			long first = System.nanoTime();
			long last = first;
			String value = null;
			for (int i = 0; i < BURST_PUTS; i++) {
				value = this.key + " burst " + index + " put " + i;
				last = System.nanoTime();
				ConfigBenchmarks.put(writer, this.key, value);
			}
			long putsDone = System.nanoTime();
			long visibleAt = awaitValue(value, last);
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS));
			awaitWatcherIdle();
			this.burstRefreshes.add(this.timeline.refreshes() - refreshesBefore);
			this.burstDuration.add(putsDone - first);
			this.burstLastApplied.add(visibleAt - last);
		}

		/**
		 * Wait until the application's last refresh ended at least {@value #QUIET_MILLIS}
		 * ms ago.
		 */
		private void awaitQuiet() {
			long wait = this.idleSince + TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS) - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
		}

		private void awaitWatcherIdle() {
			Thread watcher = this.timeline.refreshThread();
			if (!watcher.getName().startsWith(ConfigBenchmarks.WATCHER_THREAD_PREFIX)) {
				throw new IllegalStateException("The refresh ran on " + watcher.getName());
			}
			ConfigBenchmarks.awaitIdle(watcher);
			this.idleSince = System.nanoTime();
		}

		private long awaitValue(String value, long start) {
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
			return System.nanoTime();
		}

		void checkRefreshCount(int expected) {
			if (this.timeline.refreshes() != expected) {
				throw new IllegalStateException(
						this.timeline.refreshes() + " refreshes for " + expected + " changes (" + this.mode + ")");
			}
		}

		void print() {
			System.out.println();
			System.out.println("etcd.config.watch.refresh-mode = " + this.mode);
			System.out.println();
			System.out.println("| From just before the put to | median | p90 | p99 | max |");
			System.out.println("|---|---:|---:|---:|---:|");
			System.out.println(new Samples(this.acknowledged).millisRow("the put's response (etcd commit)"));
			System.out.println(new Samples(this.watched).millisRow("the raw jetcd watch event (floor: etcd's part)"));
			if (!this.refreshEvent.isEmpty()) {
				System.out.println(new Samples(this.refreshEvent).millisRow("`RefreshEvent` published by the watcher"));
			}
			System.out.println(new Samples(this.environmentChanged)
				.millisRow("`EnvironmentChangeEvent` (the environment holds the new value)"));
			System.out
				.println(new Samples(this.scopeRefreshed).millisRow("`RefreshScopeRefreshedEvent` (refresh over)"));
			System.out
				.println(new Samples(this.visible).millisRow("**the `@RefreshScope` bean returns the new value**"));
			System.out.println(new Samples(this.aboveFloor)
				.millisRow("starter and Spring: raw watch event to the bean's new value (difference per put)"));
			System.out.println();
			System.out.println(
					"| " + BURSTS + " bursts of " + BURST_PUTS + " separate puts | median | max |\n|---|---:|---:|");
			System.out.println("| refreshes per burst | " + median(this.burstRefreshes) + " | "
					+ Collections.max(this.burstRefreshes) + " |");
			Samples duration = new Samples(this.burstDuration);
			System.out.println("| the burst, first put to last response (ms) | " + Samples.millis(duration.median())
					+ " | " + Samples.millis(duration.max()) + " |");
			Samples lastApplied = new Samples(this.burstLastApplied);
			System.out.println("| **just before the last put to the bean returning its value (ms)** | "
					+ Samples.millis(lastApplied.median()) + " | " + Samples.millis(lastApplied.max()) + " |");
		}

		private static int median(List<Integer> values) {
			List<Integer> sorted = values.stream().sorted().toList();
			return sorted.get((sorted.size() - 1) / 2);
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
