package io.github.etcdspring.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Lock;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.coordination.CoordinationSession;
import io.github.etcdspring.coordination.EtcdCoordinator;
import io.github.etcdspring.lock.EtcdLock;
import io.github.etcdspring.lock.EtcdLockRegistry;

/**
 * What a lock costs: uncontended lock+unlock through {@link EtcdLockRegistry} and through
 * jetcd's own {@link Lock} client (etcd's server-side lock service) on the same etcd, in
 * alternating rounds of the same run; the throughput of threads locking names of their
 * own; and the handover between two contenders, from the holder's unlock to the moment
 * the waiter holds. etcd's metrics (plain HTTP on its client URL) tell when a waiter
 * watches.
 * <p>
 * Run with {@code java -cp benchmarks.jar io.github.etcdspring.benchmarks.LockBenchmark}.
 *
 * @author etcd-spring-boot contributors
 */
public final class LockBenchmark {

	private static final int ROUNDS = 4;

	private static final int PER_ROUND = 250;

	private static final int WARM_UP = 300;

	private static final int THREADS = 8;

	private static final int PER_THREAD = 200;

	private static final int HANDOVERS = 100;

	private static final String WATCHERS = "etcd_debugging_mvcc_watcher_total";

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	/** The starter's default {@code etcd.coordination.session-ttl}. */
	private static final long SESSION_TTL_SECONDS = 10;

	private LockBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		try (BenchmarkEtcd etcd = BenchmarkEtcd.start(); Client client = etcd.newClient()) {
			EtcdCoordinator first = coordinator(client);
			EtcdCoordinator second = coordinator(client);
			EtcdLockRegistry ours = new EtcdLockRegistry(first, "locks", BenchmarkRegistry.REQUEST_TIMEOUT);
			EtcdLockRegistry theirs = new EtcdLockRegistry(second, "locks", BenchmarkRegistry.REQUEST_TIMEOUT);
			Lock jetcd = client.getLockClient();
			long leaseA = BenchmarkRegistry.await(client.getLeaseClient().grant(300)).getID();
			long leaseB = BenchmarkRegistry.await(client.getLeaseClient().grant(300)).getID();
			try {
				for (int i = 0; i < WARM_UP; i++) {
					ours.lock("warm-up").unlock();
					jetcdLockUnlock(jetcd, "locks/warm-up-jetcd", leaseA);
				}
				uncontended(ours, jetcd, leaseA);
				throughput(ours, jetcd, leaseA);
				handover(etcd, client, ours, theirs, jetcd, leaseA, leaseB);
			}
			finally {
				first.destroy();
				second.destroy();
			}
		}
	}

	private static void uncontended(EtcdLockRegistry ours, Lock jetcd, long leaseId) throws Exception {
		List<Long> oursSamples = new ArrayList<>();
		List<Long> jetcdSamples = new ArrayList<>();
		long oursTotal = 0;
		long jetcdTotal = 0;
		for (int round = 0; round < ROUNDS; round++) {
			long start = System.nanoTime();
			for (int i = 0; i < PER_ROUND; i++) {
				long begin = System.nanoTime();
				ours.lock("uncontended").unlock();
				oursSamples.add(System.nanoTime() - begin);
			}
			oursTotal += System.nanoTime() - start;
			start = System.nanoTime();
			for (int i = 0; i < PER_ROUND; i++) {
				long begin = System.nanoTime();
				jetcdLockUnlock(jetcd, "locks/uncontended-jetcd", leaseId);
				jetcdSamples.add(System.nanoTime() - begin);
			}
			jetcdTotal += System.nanoTime() - start;
		}
		System.out.println("Uncontended lock+unlock, one thread, " + ROUNDS * PER_ROUND
				+ " each, alternating rounds of " + PER_ROUND);
		System.out.println();
		System.out.println("| lock+unlock | median (ms) | p90 | p99 | max | per second |");
		System.out.println("|---|---:|---:|---:|---:|---:|");
		System.out.println(new Samples(oursSamples).millisRow("`EtcdLockRegistry`") + " "
				+ perSecond(oursSamples.size(), oursTotal) + " |");
		System.out.println(new Samples(jetcdSamples).millisRow("jetcd `Lock` client") + " "
				+ perSecond(jetcdSamples.size(), jetcdTotal) + " |");
		System.out.println();
	}

	private static void throughput(EtcdLockRegistry ours, Lock jetcd, long leaseId) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(THREADS);
		try {
			long oursElapsed = run(threads, (thread) -> {
				for (int i = 0; i < PER_THREAD; i++) {
					ours.lock("parallel-" + thread).unlock();
				}
			});
			long jetcdElapsed = run(threads, (thread) -> {
				for (int i = 0; i < PER_THREAD; i++) {
					jetcdLockUnlock(jetcd, "locks/parallel-jetcd-" + thread, leaseId);
				}
			});
			System.out.println(THREADS + " threads, each locking and unlocking a name of its own " + PER_THREAD
					+ " times (one session lease for all)");
			System.out.println();
			System.out.println("| lock+unlock | total (ms) | per second |");
			System.out.println("|---|---:|---:|");
			System.out.println("| `EtcdLockRegistry` | " + Samples.millis(oursElapsed) + " | "
					+ perSecond(THREADS * PER_THREAD, oursElapsed) + " |");
			System.out.println("| jetcd `Lock` client | " + Samples.millis(jetcdElapsed) + " | "
					+ perSecond(THREADS * PER_THREAD, jetcdElapsed) + " |");
			System.out.println();
		}
		finally {
			threads.shutdownNow();
		}
	}

	/**
	 * A holds, B waits, A unlocks: the time from A's unlock call to B holding. A unlocks
	 * either as soon as B's key is written (racing B's watch of A's key) or once etcd
	 * counts B's watch among its watchers (B fully waiting).
	 */
	private static void handover(BenchmarkEtcd etcd, Client client, EtcdLockRegistry a, EtcdLockRegistry b, Lock jetcd,
			long leaseA, long leaseB) throws Exception {
		ExecutorService waiterThread = Executors.newSingleThreadExecutor();
		System.out.println("Handover between two contenders (two session leases), " + HANDOVERS
				+ " times each: from the holder's unlock call to the waiter holding");
		System.out.println();
		System.out.println("| handover | median (ms) | p90 | p99 | max |");
		System.out.println("|---|---:|---:|---:|---:|");
		try {
			for (boolean waiting : List.of(false, true)) {
				List<Long> oursSamples = new ArrayList<>();
				List<Long> jetcdSamples = new ArrayList<>();
				for (int i = 0; i < HANDOVERS; i++) {
					EtcdLock held = a.lock("handover");
					long watchers = watchers(etcd);
					Future<Long> waiter = waiterThread.submit(() -> {
						EtcdLock lock = b.lock("handover");
						long at = System.nanoTime();
						lock.unlock();
						return at;
					});
					awaitWaiter(etcd, client, "locks/handover/", waiting ? watchers : -1);
					long unlocked = System.nanoTime();
					held.unlock();
					oursSamples.add(waiter.get(30, TimeUnit.SECONDS) - unlocked);

					ByteSequence name = bytes("locks/handover-jetcd");
					ByteSequence key = BenchmarkRegistry.await(jetcd.lock(name, leaseA)).getKey();
					watchers = watchers(etcd);
					CompletableFuture<Long> acquired = jetcd.lock(name, leaseB).thenApply((response) -> {
						long at = System.nanoTime();
						jetcd.unlock(response.getKey());
						return at;
					});
					awaitWaiter(etcd, client, "locks/handover-jetcd/", waiting ? watchers : -1);
					unlocked = System.nanoTime();
					jetcd.unlock(key);
					jetcdSamples.add(acquired.get(30, TimeUnit.SECONDS) - unlocked);
					awaitKeys(client, "locks/handover-jetcd/", 0);
				}
				String when = waiting ? "unlock once the waiter watches" : "unlock once the waiter's key is written";
				System.out.println(new Samples(oursSamples).millisRow("`EtcdLockRegistry`, " + when));
				System.out.println(new Samples(jetcdSamples).millisRow("jetcd `Lock` client, " + when));
			}
		}
		finally {
			waiterThread.shutdownNow();
		}
	}

	/**
	 * Wait until the waiter's key is written and, unless {@code watchersBefore} is
	 * negative, until etcd counts one watcher more than before.
	 */
	private static void awaitWaiter(BenchmarkEtcd etcd, Client client, String prefix, long watchersBefore) {
		awaitKeys(client, prefix, 2);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (watchersBefore >= 0 && watchers(etcd) <= watchersBefore) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The waiter under " + prefix + " did not watch within 30s");
			}
		}
	}

	/**
	 * etcd's count of watchers, from its metrics.
	 */
	private static long watchers(BenchmarkEtcd etcd) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(etcd.endpoint() + "/metrics")).build();
		try {
			return HTTP.send(request, HttpResponse.BodyHandlers.ofString())
				.body()
				.lines()
				.filter((line) -> line.startsWith(WATCHERS + " "))
				.mapToLong((line) -> (long) Double.parseDouble(line.substring(WATCHERS.length() + 1).trim()))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("etcd exports no " + WATCHERS));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void jetcdLockUnlock(Lock jetcd, String name, long leaseId) {
		ByteSequence key = BenchmarkRegistry.await(jetcd.lock(bytes(name), leaseId)).getKey();
		BenchmarkRegistry.await(jetcd.unlock(key));
	}

	private static void awaitKeys(Client client, String prefix, long count) {
		GetOption option = GetOption.builder().isPrefix(true).withCountOnly(true).build();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (BenchmarkRegistry.await(client.getKVClient().get(bytes(prefix), option)).getCount() != count) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Not " + count + " keys under " + prefix + " within 30s");
			}
		}
	}

	private static long run(ExecutorService threads, ThreadTask task) throws Exception {
		List<Future<?>> futures = new ArrayList<>();
		long start = System.nanoTime();
		for (int thread = 0; thread < THREADS; thread++) {
			int index = thread;
			futures.add(threads.submit(() -> {
				task.run(index);
				return null;
			}));
		}
		for (Future<?> future : futures) {
			future.get(5, TimeUnit.MINUTES);
		}
		return System.nanoTime() - start;
	}

	private static EtcdCoordinator coordinator(Client client) {
		Duration timeout = BenchmarkRegistry.REQUEST_TIMEOUT;
		return new EtcdCoordinator(client, new CoordinationSession(client, SESSION_TTL_SECONDS, timeout), timeout,
				new RetryBackoff(Duration.ofMillis(500), Duration.ofSeconds(5)));
	}

	private static String perSecond(int operations, long nanos) {
		return String.format(Locale.ROOT, "%.0f", operations / (nanos / 1e9));
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	@FunctionalInterface
	private interface ThreadTask {

		void run(int thread) throws Exception;

	}

}
