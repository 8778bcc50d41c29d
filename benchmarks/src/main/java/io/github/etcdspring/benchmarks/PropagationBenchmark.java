package io.github.etcdspring.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdspring.discovery.EtcdServiceCatalog;
import io.github.etcdspring.discovery.EtcdServiceEvent;
import io.github.etcdspring.discovery.Subscription;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.RegistryKeyLayout.InstanceKey;

/**
 * How long a new instance takes to become visible in the {@link EtcdServiceCatalog} of
 * another process, next to how long etcd itself takes to deliver the change to a watch.
 * <p>
 * Client A writes new instances one at a time, each put after the previous one has
 * arrived everywhere. Client B, standing for the other process, holds a started catalog
 * and a raw jetcd prefix watch of the same service. From just before each put is sent,
 * these moments are taken:
 * <ul>
 * <li>the put's response reaches client A (etcd committed it, including the write-ahead
 * log's fsync);</li>
 * <li>the event reaches client B's raw watch listener (etcd's own watch latency);</li>
 * <li>the catalog notifies its listeners of the instance, which it does once
 * {@code getInstances} returns it (the benchmark checks that it does).</li>
 * </ul>
 * A second raw watch at client B serves as a control: how far apart two watch streams of
 * the same client receive the same change, which the catalog's own watch stream is
 * subject to as well.
 * <p>
 * Run with
 * {@code java -cp benchmarks.jar io.github.etcdspring.benchmarks.PropagationBenchmark [changes]}.
 *
 * @author etcd-spring-boot contributors
 */
public final class PropagationBenchmark {

	private static final int WARMUP_CHANGES = 100;

	private static final int DEFAULT_CHANGES = 500;

	private final Client writer;

	private final Client reader;

	private final EtcdServiceCatalog catalog;

	private PropagationBenchmark(Client writer, Client reader, EtcdServiceCatalog catalog) {
		this.writer = writer;
		this.reader = reader;
		this.catalog = catalog;
	}

	public static void main(String[] args) {
		int changes = (args.length > 0) ? Integer.parseInt(args[0]) : DEFAULT_CHANGES;
		try (BenchmarkEtcd etcd = BenchmarkEtcd.start();
				Client writer = etcd.newClient();
				Client reader = etcd.newClient()) {
			EtcdServiceCatalog catalog = BenchmarkRegistry.catalog(reader);
			catalog.start();
			try {
				PropagationBenchmark benchmark = new PropagationBenchmark(writer, reader, catalog);
				benchmark.measure("warmup", WARMUP_CHANGES);
				benchmark.measure("propagation", changes).print();
			}
			finally {
				catalog.destroy();
			}
		}
	}

	private Result measure(String serviceId, int changes) {
		Map<String, Arrival> arrivals = new ConcurrentHashMap<>();
		Watch.Watcher watcher = watch(serviceId, arrivals, (arrival) -> arrival.watched);
		Watch.Watcher controlWatcher = watch(serviceId, arrivals, (arrival) -> arrival.watchedAgain);
		Subscription subscription = this.catalog.subscribe(serviceId, (event) -> onCatalogEvent(event, arrivals));
		try {
			Result result = new Result(changes);
			for (int i = 0; i < changes; i++) {
				EtcdServiceInstance instance = BenchmarkRegistry.instance(serviceId, i);
				ByteSequence key = BenchmarkRegistry.key(instance);
				ByteSequence value = BenchmarkRegistry.value(instance);
				Arrival arrival = new Arrival();
				arrivals.put(instance.getInstanceId(), arrival);
				long start = System.nanoTime();
				CompletableFuture<Long> acknowledged = this.writer.getKVClient()
					.put(key, value)
					.thenApply((response) -> System.nanoTime());
				result.add(start, acknowledged, arrival);
			}
			return result;
		}
		finally {
			subscription.close();
			controlWatcher.close();
			watcher.close();
		}
	}

	/**
	 * Watch a service from client B and record when each change arrives; returns once
	 * etcd has created the watch, so that no change is missed.
	 */
	private Watch.Watcher watch(String serviceId, Map<String, Arrival> arrivals,
			Function<Arrival, CompletableFuture<Long>> moment) {
		CompletableFuture<Void> created = new CompletableFuture<>();
		Watch.Watcher watcher = this.reader.getWatchClient()
			.watch(BenchmarkRegistry.LAYOUT.servicePrefix(serviceId),
					WatchOption.builder().isPrefix(true).withCreateNotify(true).build(), (response) -> {
						long now = System.nanoTime();
						if (response.isCreatedNotify()) {
							created.complete(null);
						}
						for (WatchEvent event : response.getEvents()) {
							InstanceKey key = BenchmarkRegistry.LAYOUT.parse(event.getKeyValue().getKey());
							moment.apply(arrivals.get(key.instanceId())).complete(now);
						}
					});
		BenchmarkRegistry.await(created);
		return watcher;
	}

	private void onCatalogEvent(EtcdServiceEvent event, Map<String, Arrival> arrivals) {
		long now = System.nanoTime();
		Arrival arrival = arrivals.get(event.instance().getInstanceId());
		if (this.catalog.getInstances(event.serviceId()).contains(event.instance())) {
			arrival.discovered.complete(now);
		}
		else {
			arrival.discovered.completeExceptionally(
					new IllegalStateException("getInstances does not return " + event.instance() + " yet"));
		}
	}

	/**
	 * When one put reached client B, in {@link System#nanoTime()}.
	 */
	private static final class Arrival {

		final CompletableFuture<Long> watched = new CompletableFuture<>();

		final CompletableFuture<Long> watchedAgain = new CompletableFuture<>();

		final CompletableFuture<Long> discovered = new CompletableFuture<>();

	}

	/**
	 * The latencies of every measured put.
	 */
	private static final class Result {

		private final List<Long> acknowledged;

		private final List<Long> watched;

		private final List<Long> discovered;

		private final List<Long> catalogOverhead;

		private final List<Long> controlOverhead;

		Result(int changes) {
			this.acknowledged = new ArrayList<>(changes);
			this.watched = new ArrayList<>(changes);
			this.discovered = new ArrayList<>(changes);
			this.catalogOverhead = new ArrayList<>(changes);
			this.controlOverhead = new ArrayList<>(changes);
		}

		/**
		 * Wait until the put has arrived everywhere and record its latencies.
		 */
		void add(long start, CompletableFuture<Long> acknowledged, Arrival arrival) {
			long watchedAt = BenchmarkRegistry.await(arrival.watched);
			long watchedAgainAt = BenchmarkRegistry.await(arrival.watchedAgain);
			long discoveredAt = BenchmarkRegistry.await(arrival.discovered);
			this.acknowledged.add(BenchmarkRegistry.await(acknowledged) - start);
			this.watched.add(watchedAt - start);
			this.discovered.add(discoveredAt - start);
			this.catalogOverhead.add(discoveredAt - watchedAt);
			this.controlOverhead.add(watchedAgainAt - watchedAt);
		}

		void print() {
			System.out.println("Propagation of " + this.discovered.size() + " registrations, in ms");
			System.out.println();
			System.out.println("| From the put by client A to | median | p90 | p99 | max |");
			System.out.println("|---|---:|---:|---:|---:|");
			System.out.println(new Samples(this.acknowledged).millisRow("its response at client A (commit)"));
			System.out.println(new Samples(this.watched).millisRow("the raw jetcd watch event at client B"));
			System.out.println(new Samples(this.discovered).millisRow("`getInstances` of the catalog at client B"));
			System.out.println(
					new Samples(this.catalogOverhead).millisRow("catalog after the raw watch (difference per put)"));
			System.out.println(new Samples(this.controlOverhead)
				.millisRow("control: a second raw watch after the first (difference per put)"));
		}

	}

}
