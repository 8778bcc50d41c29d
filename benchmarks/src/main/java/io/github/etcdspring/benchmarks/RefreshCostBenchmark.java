package io.github.etcdspring.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import io.etcd.jetcd.Client;
import io.github.etcdspring.benchmarks.refresh.RefreshApplication;
import io.github.etcdspring.benchmarks.refresh.RefreshApplication.RefreshTimeline;
import io.github.etcdspring.benchmarks.refresh.RefreshApplication.RefreshedValue;
import io.github.etcdspring.benchmarks.refresh.RefreshApplication.ThreadCost;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * CPU time, allocation and etcd reads of one refresh after a change in etcd, in a
 * {@link RefreshApplication} that imports its configuration with
 * {@code spring.config.import=etcd:} (one property in {@code config/application/},
 * default settings), in each {@code etcd.config.watch.refresh-mode}: {@code in-place}
 * (the default), then {@code full}, one application after the other.
 * <p>
 * The refresh runs on the application's etcd watcher thread
 * ({@value ConfigBenchmarks#WATCHER_THREAD_PREFIX}1): reading the contexts, comparing,
 * then in place updating the etcd property sources and publishing
 * {@code EnvironmentChangeEvent} and clearing the refresh scope; in full, publishing the
 * {@code RefreshEvent}, and inside it Spring Cloud's whole refresh (loading the
 * configuration again, which reads etcd once more through the client of the config data
 * import, rebinding {@code @ConfigurationProperties}, clearing the refresh scope). For
 * each change, once that thread has been idle for {@value #QUIET_MILLIS} ms (longer than
 * the quiet period, so that each change is a single one), the benchmark takes its CPU
 * time and allocated bytes ({@code com.sun.management.ThreadMXBean}), puts a new value,
 * waits for the end of the refresh ({@code RefreshScopeRefreshedEvent}) and for the
 * thread to be idle again, and takes them again. It also sums them over every thread the
 * application started (the jetcd, gRPC and Netty threads that receive the watch event and
 * the read responses included; threads that ended in between are missed), and takes the
 * first call of the {@code @RefreshScope} bean after the refresh, which creates it again,
 * on the benchmark's own thread. Garbage collection and JIT compilation are not part of
 * any of these. The reads of etcd per refresh are counted by etcd itself: its
 * {@code grpc_server_started_total} of the KV {@code Range} and {@code Txn} calls (the
 * benchmark's own writes are {@code Put}s), from its {@code /metrics}.
 * <p>
 * Run with
 * {@code java -cp benchmarks.jar io.github.etcdspring.benchmarks.RefreshCostBenchmark [refreshes]}:
 * default {@value #DEFAULT_REFRESHES}, at most {@value #MAX_REFRESHES}, after
 * {@value #WARMUP_REFRESHES} unreported ones.
 *
 * @author etcd-spring-boot contributors
 */
public final class RefreshCostBenchmark {

	private static final int WARMUP_REFRESHES = 100;

	private static final int DEFAULT_REFRESHES = 200;

	private static final int MAX_REFRESHES = 2000;

	private static final long QUIET_MILLIS = 150;

	private static final String KEY = ConfigBenchmarks.SHARED_CONTEXT + RefreshApplication.PROPERTY.replace('.', '/');

	private final com.sun.management.ThreadMXBean threads = ConfigBenchmarks.threads();

	private final Set<Long> benchmarkThreads;

	private final RefreshedValue bean;

	private final RefreshTimeline timeline;

	private final Thread watcher;

	private final List<Long> watcherCpu = new ArrayList<>();

	private final List<Long> watcherAllocated = new ArrayList<>();

	/**
	 * The watcher thread's CPU time and allocation between the steps of a refresh: up to
	 * the {@code RefreshEvent}, from there to the {@code EnvironmentChangeEvent}, from
	 * there to the {@code RefreshScopeRefreshedEvent}, and from there until the thread is
	 * idle.
	 */
	private final List<List<Long>> stepCpu = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
			new ArrayList<>());

	private final List<List<Long>> stepAllocated = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
			new ArrayList<>());

	private final List<Long> applicationCpu = new ArrayList<>();

	private final List<Long> applicationAllocated = new ArrayList<>();

	private final List<Long> beanCpu = new ArrayList<>();

	private final List<Long> beanAllocated = new ArrayList<>();

	private final List<Long> reads = new ArrayList<>();

	private final EtcdReads etcdReads;

	private RefreshCostBenchmark(Set<Long> benchmarkThreads, ConfigurableApplicationContext context,
			EtcdReads etcdReads) {
		this.benchmarkThreads = benchmarkThreads;
		this.etcdReads = etcdReads;
		this.bean = context.getBean(RefreshedValue.class);
		this.timeline = context.getBean(RefreshTimeline.class);
		this.watcher = ConfigBenchmarks.watcherThread();
	}

	public static void main(String[] args) {
		int refreshes = (args.length > 0) ? Integer.parseInt(args[0]) : DEFAULT_REFRESHES;
		if (refreshes < 1 || refreshes > MAX_REFRESHES) {
			throw new IllegalArgumentException("refreshes must be from 1 to " + MAX_REFRESHES);
		}
		if (!ConfigBenchmarks.threads().isThreadCpuTimeEnabled()
				|| !ConfigBenchmarks.threads().isThreadAllocatedMemoryEnabled()) {
			throw new IllegalStateException("This JVM does not measure CPU time and allocation per thread");
		}
		try (BenchmarkEtcd etcd = BenchmarkEtcd.start(); Client writer = etcd.newClient()) {
			ConfigBenchmarks.put(writer, KEY, "initial");
			EtcdReads etcdReads = new EtcdReads(etcd.endpoint());
			for (String mode : List.of("in-place", "full")) {
				// every thread so far is the benchmark's (the writer's included): not
				// counted as the application's
				Set<Long> benchmarkThreads = LongStream.of(ConfigBenchmarks.threads().getAllThreadIds())
					.boxed()
					.collect(Collectors.toSet());
				try (ConfigurableApplicationContext context = RefreshApplication.start(ConfigBenchmarks
					.arguments(etcd.endpoint(), "refresh", true, "--etcd.config.watch.refresh-mode=" + mode)
					.toArray(String[]::new))) {
					RefreshCostBenchmark benchmark = new RefreshCostBenchmark(benchmarkThreads, context, etcdReads);
					int threadsBefore = 0;
					for (int i = 0; i < WARMUP_REFRESHES + refreshes; i++) {
						if (i == WARMUP_REFRESHES) {
							threadsBefore = ConfigBenchmarks.threads().getThreadCount();
						}
						benchmark.refresh(writer, mode + " value " + i, i >= WARMUP_REFRESHES);
					}
					int threadsAfter = ConfigBenchmarks.threads().getThreadCount();
					if (benchmark.timeline.refreshes() != WARMUP_REFRESHES + refreshes) {
						throw new IllegalStateException(benchmark.timeline.refreshes() + " refreshes for "
								+ (WARMUP_REFRESHES + refreshes) + " changes");
					}
					benchmark.print(mode, refreshes);
					System.out.println("Live threads in this JVM: " + threadsBefore + " before the measured refreshes, "
							+ threadsAfter + " after them.");
					System.out.println();
				}
				ConfigBenchmarks.await(
						() -> Thread.getAllStackTraces()
							.keySet()
							.stream()
							.noneMatch((thread) -> thread.getName().startsWith(ConfigBenchmarks.WATCHER_THREAD_PREFIX)),
						"the watcher thread of the closed application to end");
			}
		}
	}

	private void refresh(Client writer, String value, boolean record) {
		ConfigBenchmarks.awaitIdle(this.watcher);
		// a single change: the watcher has been quiet for longer than its quiet period
		LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS));
		ConfigBenchmarks.awaitIdle(this.watcher);
		ThreadCost watcherBefore = ThreadCost.of(this.watcher);
		Map<Long, long[]> applicationBefore = applicationThreads();
		long readsBefore = this.etcdReads.count();
		this.timeline.reset();
		ConfigBenchmarks.put(writer, KEY, value);
		ConfigBenchmarks.await(() -> this.timeline.scopeRefreshedAt() != 0, "the end of the refresh");
		if (this.timeline.refreshThread() != this.watcher) {
			throw new IllegalStateException("The refresh ran on " + this.timeline.refreshThread());
		}
		ConfigBenchmarks.awaitIdle(this.watcher);
		ThreadCost watcherAfter = ThreadCost.of(this.watcher);
		Map<Long, long[]> applicationAfter = applicationThreads();
		long readsAfter = this.etcdReads.count();
		long beanCpuBefore = this.threads.getCurrentThreadCpuTime();
		long beanAllocatedBefore = this.threads.getCurrentThreadAllocatedBytes();
		String seen = this.bean.value();
		long beanCpuAfter = this.threads.getCurrentThreadCpuTime();
		long beanAllocatedAfter = this.threads.getCurrentThreadAllocatedBytes();
		if (!value.equals(seen)) {
			throw new IllegalStateException("The @RefreshScope bean returns '" + seen + "' after the refresh");
		}
		if (record) {
			this.watcherCpu.add(watcherAfter.cpuNanos() - watcherBefore.cpuNanos());
			this.watcherAllocated.add(watcherAfter.allocatedBytes() - watcherBefore.allocatedBytes());
			this.reads.add(readsAfter - readsBefore);
			// in place, there is no RefreshEvent: its step is empty
			ThreadCost refreshEvent = this.timeline.cost(0);
			List<ThreadCost> steps = List.of(watcherBefore, (refreshEvent != null) ? refreshEvent : watcherBefore,
					this.timeline.cost(1), this.timeline.cost(2), watcherAfter);
			for (int i = 0; i < 4; i++) {
				this.stepCpu.get(i).add(steps.get(i + 1).cpuNanos() - steps.get(i).cpuNanos());
				this.stepAllocated.get(i).add(steps.get(i + 1).allocatedBytes() - steps.get(i).allocatedBytes());
			}
			long cpu = 0;
			long allocated = 0;
			for (Map.Entry<Long, long[]> entry : applicationAfter.entrySet()) {
				long[] before = applicationBefore.getOrDefault(entry.getKey(), new long[2]);
				cpu += entry.getValue()[0] - before[0];
				allocated += entry.getValue()[1] - before[1];
			}
			this.applicationCpu.add(cpu);
			this.applicationAllocated.add(allocated);
			this.beanCpu.add(beanCpuAfter - beanCpuBefore);
			this.beanAllocated.add(beanAllocatedAfter - beanAllocatedBefore);
		}
	}

	/**
	 * CPU time and allocated bytes of each live thread that the application started.
	 */
	private Map<Long, long[]> applicationThreads() {
		long[] ids = LongStream.of(this.threads.getAllThreadIds())
			.filter((id) -> !this.benchmarkThreads.contains(id))
			.toArray();
		long[] cpu = this.threads.getThreadCpuTime(ids);
		long[] allocated = this.threads.getThreadAllocatedBytes(ids);
		Map<Long, long[]> result = new HashMap<>();
		for (int i = 0; i < ids.length; i++) {
			if (cpu[i] >= 0 && allocated[i] >= 0) {
				result.put(ids[i], new long[] { cpu[i], allocated[i] });
			}
		}
		return result;
	}

	private void print(String mode, int refreshes) {
		Samples readSamples = new Samples(this.reads);
		System.out.println("etcd.config.watch.refresh-mode = " + mode + ": CPU time and allocation of one refresh, "
				+ refreshes + " refreshes after " + WARMUP_REFRESHES + " unreported ones; etcd reads per refresh "
				+ "(Range and Txn calls): median " + readSamples.median() + ", min " + readSamples.min() + ", max "
				+ readSamples.max());
		System.out.println();
		System.out.println("| Per refresh | CPU ms: median | p90 | max | allocated MB: median | p90 | max |");
		System.out.println("|---|---:|---:|---:|---:|---:|---:|");
		System.out.println(row("**the watcher thread (the refresh itself)**", this.watcherCpu, this.watcherAllocated));
		if ("full".equals(mode)) {
			System.out.println(row("- up to the `RefreshEvent` (watch event, read of the contexts, comparison)",
					this.stepCpu.get(0), this.stepAllocated.get(0)));
			System.out.println(row("- to the `EnvironmentChangeEvent` (Spring Cloud loads the configuration again)",
					this.stepCpu.get(1), this.stepAllocated.get(1)));
		}
		else {
			System.out.println(row("- up to the `EnvironmentChangeEvent` (watch event, read of the contexts, "
					+ "comparison, sources updated in place)", this.stepCpu.get(1), this.stepAllocated.get(1)));
		}
		System.out.println(row("- to the `RefreshScopeRefreshedEvent` (rebinding, clearing the refresh scope)",
				this.stepCpu.get(2), this.stepAllocated.get(2)));
		System.out.println(row("- after it (in full mode, the watcher checks that the refresh applied)",
				this.stepCpu.get(3), this.stepAllocated.get(3)));
		System.out.println(row("every thread the application started (watcher included)", this.applicationCpu,
				this.applicationAllocated));
		System.out.println(row("first call of the `@RefreshScope` bean afterwards (creates it)", this.beanCpu,
				this.beanAllocated));
		System.out.println();
		System.out.println("MB = 10^6 bytes.");
	}

	private static String row(String label, List<Long> cpu, List<Long> allocated) {
		Samples cpuSamples = new Samples(cpu);
		Samples allocatedSamples = new Samples(allocated);
		return "| " + label + " | " + Samples.millis(cpuSamples.median()) + " | "
				+ Samples.millis(cpuSamples.percentile(90)) + " | " + Samples.millis(cpuSamples.max()) + " | "
				+ megabytes(allocatedSamples.median()) + " | " + megabytes(allocatedSamples.percentile(90)) + " | "
				+ megabytes(allocatedSamples.max()) + " |";
	}

	private static String megabytes(long bytes) {
		return String.format(Locale.ROOT, "%.3f", bytes / 1e6);
	}

}
