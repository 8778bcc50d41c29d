package io.github.etcdspring.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.WeakReference;
import java.util.Locale;

import io.etcd.jetcd.Client;
import io.github.etcdspring.discovery.EtcdServiceCatalog;

/**
 * Heap that an {@link EtcdServiceCatalog} retains per instance it holds: the used heap
 * after full garbage collections with a started catalog of 10,000 instances, minus the
 * used heap before it was created, divided by 10,000. A first round, not reported, loads
 * the classes and fills the client's buffers; each round starts once the catalog of the
 * previous one is garbage.
 * <p>
 * Run with {@code java -cp benchmarks.jar io.github.etcdspring.benchmarks.HeapBenchmark}.
 *
 * @author etcd-spring-boot contributors
 */
public final class HeapBenchmark {

	private static final String SERVICE_ID = "payments";

	private static final int INSTANCES = 10_000;

	private static final int ROUNDS = 5;

	private static final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

	private HeapBenchmark() {
	}

	public static void main(String[] args) {
		try (BenchmarkEtcd etcd = BenchmarkEtcd.start(); Client client = etcd.newClient()) {
			BenchmarkRegistry.write(client, SERVICE_ID, INSTANCES);
			awaitCollected(measure(client).stoppedCatalog());
			System.out.println("Heap retained by a catalog of " + INSTANCES + " instances");
			System.out.println();
			System.out.println("| Round | retained (KiB) | per instance (bytes) |");
			System.out.println("|---:|---:|---:|");
			for (int round = 1; round <= ROUNDS; round++) {
				Round result = measure(client);
				awaitCollected(result.stoppedCatalog());
				System.out.println("| " + round + " | " + (result.retainedBytes() / 1024) + " | "
						+ String.format(Locale.ROOT, "%.0f", (double) result.retainedBytes() / INSTANCES) + " |");
			}
		}
	}

	private static Round measure(Client client) {
		long before = usedHeapAfterGc();
		EtcdServiceCatalog catalog = BenchmarkRegistry.catalog(client);
		catalog.start();
		try {
			long after = usedHeapAfterGc();
			int held = catalog.getInstances(SERVICE_ID).size();
			if (held != INSTANCES) {
				throw new IllegalStateException("The catalog holds " + held + " instances, not " + INSTANCES);
			}
			return new Round(after - before, new WeakReference<>(catalog));
		}
		finally {
			catalog.destroy();
		}
	}

	private static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

	/**
	 * Wait until a stopped catalog is garbage, so that it does not count in the next
	 * round.
	 */
	private static void awaitCollected(WeakReference<EtcdServiceCatalog> catalog) {
		for (int attempt = 0; catalog.get() != null; attempt++) {
			if (attempt == 100) {
				throw new IllegalStateException("A stopped catalog is still reachable after 10s");
			}
			System.gc();
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for the garbage collector", ex);
			}
		}
	}

	/**
	 * The outcome of one round.
	 *
	 * @param retainedBytes the heap the started catalog retained
	 * @param stoppedCatalog the catalog, stopped
	 */
	private record Round(long retainedBytes, WeakReference<EtcdServiceCatalog> stoppedCatalog) {
	}

}
