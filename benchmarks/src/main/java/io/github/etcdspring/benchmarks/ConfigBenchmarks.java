package io.github.etcdspring.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;

/**
 * What the benchmarks of distributed configuration share: the arguments of
 * {@code refresh.RefreshApplication}, writing keys, and waiting, always bounded in time,
 * for the etcd watcher's thread to be idle.
 *
 * @author etcd-spring-boot contributors
 */
final class ConfigBenchmarks {

	/**
	 * The prefix of the name of the thread that watches etcd and runs each refresh.
	 */
	static final String WATCHER_THREAD_PREFIX = "etcd-config-watch-";

	/**
	 * The shared context that {@code spring.config.import=etcd:} reads for every
	 * application.
	 */
	static final String SHARED_CONTEXT = "config/application/";

	/**
	 * How long any single wait may take before the benchmark gives up.
	 */
	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final int MAX_TXN_OPS = 128;

	private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	private ConfigBenchmarks() {
	}

	/**
	 * The command-line arguments of an application that imports its configuration from
	 * the benchmark's etcd: the automatic contexts {@code config/application/} and
	 * {@code config/<name>/}, in the {@code KEY_VALUE} format; service discovery and
	 * registration are off.
	 * @param endpoint the etcd endpoint
	 * @param name {@code spring.application.name}
	 * @param configImport whether to import {@code etcd:}
	 * @param extra further arguments
	 * @return the arguments
	 */
	static List<String> arguments(String endpoint, String name, boolean configImport, String... extra) {
		List<String> arguments = new ArrayList<>(
				List.of("--spring.main.banner-mode=off", "--spring.application.name=" + name,
						"--etcd.endpoints=" + endpoint, "--etcd.discovery.enabled=false", "--service.enabled=false"));
		if (configImport) {
			arguments.add("--spring.config.import=etcd:");
		}
		arguments.addAll(List.of(extra));
		return arguments;
	}

	static ByteSequence bytes(String value) {
		return ByteSequence.from(value, StandardCharsets.UTF_8);
	}

	static void put(Client client, String key, String value) {
		BenchmarkRegistry.await(client.getKVClient().put(bytes(key), bytes(value)));
	}

	/**
	 * Write {@code count} keys {@code <prefix>bench/key-0000}... (33 bytes with
	 * {@code config/application/}) with values of 32 bytes, in transactions of at most
	 * {@value #MAX_TXN_OPS} puts.
	 */
	static void writeKeys(Client client, String prefix, int count) {
		for (int from = 0; from < count; from += MAX_TXN_OPS) {
			Op[] puts = IntStream.range(from, Math.min(count, from + MAX_TXN_OPS))
				.mapToObj((index) -> Op.put(bytes(prefix + String.format(Locale.ROOT, "bench/key-%04d", index)),
						bytes(String.format(Locale.ROOT, "value %04d of a benchmark key...", index)),
						PutOption.DEFAULT))
				.toArray(Op[]::new);
			BenchmarkRegistry.await(client.getKVClient().txn().Then(puts).commit());
		}
	}

	static void deletePrefix(Client client, String prefix) {
		BenchmarkRegistry
			.await(client.getKVClient().delete(bytes(prefix), DeleteOption.builder().isPrefix(true).build()));
	}

	/**
	 * Wait until a condition holds, checking every 50 microseconds.
	 * @param condition the condition
	 * @param what what is awaited, for the failure
	 * @throws IllegalStateException after {@link #TIMEOUT}
	 */
	static void await(BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Timed out after " + TIMEOUT + " waiting for " + what);
			}
			LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
		}
	}

	/**
	 * The etcd watcher's thread of the only application in this JVM.
	 * @return the thread
	 * @throws IllegalStateException unless exactly one thread's name starts with
	 * {@value #WATCHER_THREAD_PREFIX}
	 */
	static Thread watcherThread() {
		List<Thread> threads = Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith(WATCHER_THREAD_PREFIX))
			.toList();
		if (threads.size() != 1) {
			throw new IllegalStateException(
					"Expected one thread named " + WATCHER_THREAD_PREFIX + "*, found " + threads);
		}
		return threads.get(0);
	}

	/**
	 * Whether an executor's thread waits for its next task: parked in the queue of its
	 * {@code ScheduledThreadPoolExecutor}, not in a task (a task that waits for etcd is
	 * parked too, but elsewhere).
	 * @param thread the thread
	 * @return whether it is idle
	 */
	static boolean isIdle(Thread thread) {
		ThreadInfo info = THREADS.getThreadInfo(thread.getId(), 12);
		if (info == null) {
			return false;
		}
		Thread.State state = info.getThreadState();
		if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
			return false;
		}
		for (StackTraceElement frame : info.getStackTrace()) {
			if (frame.getClassName().endsWith("ThreadPoolExecutor") && frame.getMethodName().equals("getTask")) {
				return true;
			}
			if (frame.getClassName().startsWith("io.github.etcdspring.")) {
				return false;
			}
		}
		return false;
	}

	/**
	 * Wait until a watcher thread has been idle at two checks in a row, a millisecond
	 * apart.
	 * @param thread the thread
	 */
	static void awaitIdle(Thread thread) {
		await(() -> isIdle(thread) && pause(1) && isIdle(thread), "the etcd watcher thread to be idle");
	}

	private static boolean pause(long millis) {
		LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
		return true;
	}

	static com.sun.management.ThreadMXBean threads() {
		return THREADS;
	}

}
