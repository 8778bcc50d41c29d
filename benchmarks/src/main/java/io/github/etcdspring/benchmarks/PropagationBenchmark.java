package io.github.etcdspring.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.RegistryFormat;
import io.github.etcdspring.format.RegistryKeyLayout.InstanceKey;
import io.github.etcdspring.registry.EtcdRegistration;
import io.github.etcdspring.registry.EtcdServiceProperties;
import io.github.etcdspring.registry.EtcdServiceRegistry;

/**
 * How long a new instance takes to become visible in the {@link EtcdServiceCatalog} of
 * another process, next to how long etcd itself takes to deliver the change to a watch.
 * <p>
 * Client A writes new instances one at a time, each after the previous one has arrived
 * everywhere, alternating two ways in the same run: a plain jetcd put (the floor), and
 * {@link EtcdServiceRegistry#register} of an {@link EtcdServiceRegistry} on client A
 * (what an application does). Client B, standing for the other process, holds a started
 * catalog and a raw jetcd prefix watch of each service. From just before each put is
 * sent, or each {@code register} is called, these moments are taken:
 * <ul>
 * <li>the put's response reaches client A, or {@code register} returns (etcd committed
 * it, including the write-ahead log's fsync);</li>
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

	/**
	 * The starter's default {@code etcd.keepalive-ttl}.
	 */
	private static final Duration KEEPALIVE_TTL = Duration.ofSeconds(10);

	private final Client writer;

	private final Client reader;

	private final EtcdServiceCatalog catalog;

	private final EtcdServiceRegistry registry;

	private PropagationBenchmark(Client writer, Client reader, EtcdServiceCatalog catalog,
			EtcdServiceRegistry registry) {
		this.writer = writer;
		this.reader = reader;
		this.catalog = catalog;
		this.registry = registry;
	}

	public static void main(String[] args) {
		int changes = (args.length > 0) ? Integer.parseInt(args[0]) : DEFAULT_CHANGES;
		try (BenchmarkEtcd etcd = BenchmarkEtcd.start();
				Client writer = etcd.newClient();
				Client reader = etcd.newClient()) {
			EtcdServiceCatalog catalog = BenchmarkRegistry.catalog(reader);
			EtcdServiceRegistry registry = new EtcdServiceRegistry(writer,
					Map.of("native", RegistryFormat.of(BenchmarkRegistry.LAYOUT, BenchmarkRegistry.CODEC)),
					List.of("native"), new EtcdServiceRegistry.Settings(List.of(etcd.endpoint()), KEEPALIVE_TTL,
							BenchmarkRegistry.REQUEST_TIMEOUT, true, new EtcdServiceProperties.Retry()),
					(event) -> {
					});
			catalog.start();
			try {
				PropagationBenchmark benchmark = new PropagationBenchmark(writer, reader, catalog, registry);
				benchmark.measure("warmup", WARMUP_CHANGES);
				Result put = new Result(changes);
				Result registered = new Result(changes);
				benchmark.measure("propagation", changes, put, registered);
				print(put, registered);
			}
			finally {
				registry.close();
				catalog.destroy();
			}
		}
	}

	private void measure(String serviceId, int changes) {
		measure(serviceId, changes, new Result(changes), new Result(changes));
	}

	/**
	 * Write {@code changes} instances with plain puts and as many with {@code register},
	 * alternately, each in a service of its own.
	 */
	private void measure(String serviceId, int changes, Result put, Result registered) {
		Map<String, Arrival> arrivals = new ConcurrentHashMap<>();
		String putService = serviceId + "-put";
		String registeredService = serviceId + "-register";
		List<AutoCloseable> watches = new ArrayList<>();
		try {
			for (String service : List.of(putService, registeredService)) {
				watches.add(watch(service, arrivals, (arrival) -> arrival.watched));
				watches.add(watch(service, arrivals, (arrival) -> arrival.watchedAgain));
				watches.add(this.catalog.subscribe(service, (event) -> onCatalogEvent(event, arrivals))::close);
			}
			for (int i = 0; i < changes; i++) {
				EtcdServiceInstance instance = BenchmarkRegistry.instance(putService, i);
				ByteSequence key = BenchmarkRegistry.key(instance);
				ByteSequence value = BenchmarkRegistry.value(instance);
				Arrival arrival = new Arrival();
				arrivals.put(instance.getInstanceId() + "@" + putService, arrival);
				long start = System.nanoTime();
				CompletableFuture<Long> acknowledged = this.writer.getKVClient()
					.put(key, value)
					.thenApply((response) -> System.nanoTime());
				put.add(start, acknowledged, arrival);

				EtcdRegistration registration = registration(BenchmarkRegistry.instance(registeredService, i));
				Arrival registrationArrival = new Arrival();
				arrivals.put(registration.getInstanceId() + "@" + registeredService, registrationArrival);
				long registrationStart = System.nanoTime();
				this.registry.register(registration);
				registered.add(registrationStart, CompletableFuture.completedFuture(System.nanoTime()),
						registrationArrival);
			}
		}
		finally {
			for (AutoCloseable watch : watches) {
				try {
					watch.close();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
	}

	/**
	 * The registration of the same instance, address and metadata as a plain put writes.
	 */
	private static EtcdRegistration registration(EtcdServiceInstance instance) {
		EtcdRegistration registration = new EtcdRegistration(instance.getServiceId(), instance.getHost());
		registration.setPort(instance.getPort());
		registration.setInstanceId(instance.getInstanceId());
		registration.getMetadata().putAll(instance.getMetadata());
		return registration;
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
							moment.apply(arrivals.get(key.instanceId() + "@" + serviceId)).complete(now);
						}
					});
		BenchmarkRegistry.await(created);
		return watcher;
	}

	private void onCatalogEvent(EtcdServiceEvent event, Map<String, Arrival> arrivals) {
		long now = System.nanoTime();
		Arrival arrival = arrivals.get(event.instance().getInstanceId() + "@" + event.serviceId());
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

	}

	private static void print(Result put, Result registered) {
		System.out.println("Propagation of " + put.discovered.size() + " plain puts and " + registered.discovered.size()
				+ " registrations, alternating, in ms");
		System.out.println();
		System.out.println("| From the call at client A to | median | p90 | p99 | max |");
		System.out.println("|---|---:|---:|---:|---:|");
		System.out.println(row("put: its response at client A (commit)", put.acknowledged));
		System.out.println(row("put: the raw jetcd watch event at client B (the floor)", put.watched));
		System.out.println(row("put: `getInstances` of the catalog at client B", put.discovered));
		System.out.println(row("`register`: returns at client A", registered.acknowledged));
		System.out.println(row("`register`: the raw jetcd watch event at client B", registered.watched));
		System.out.println(row("`register`: `getInstances` of the catalog at client B", registered.discovered));
		System.out.println(row("put: catalog after the raw watch (difference per put)", put.catalogOverhead));
		System.out
			.println(row("control: a second raw watch after the first (difference per put)", put.controlOverhead));
		Samples floor = new Samples(put.watched);
		Samples visible = new Samples(registered.discovered);
		System.out.println();
		System.out.println("| `register` to the catalog at client B, against put to the raw watch | median | p99 |");
		System.out.println("|---|---:|---:|");
		System.out.println("| difference (ms) | " + Samples.millis(visible.median() - floor.median()) + " | "
				+ Samples.millis(visible.percentile(99) - floor.percentile(99)) + " |");
		System.out.println("| ratio | " + ratio(visible.median(), floor.median()) + " | "
				+ ratio(visible.percentile(99), floor.percentile(99)) + " |");
	}

	private static String row(String label, List<Long> samples) {
		return new Samples(samples).millisRow(label);
	}

	private static String ratio(long nanos, long floorNanos) {
		return String.format(Locale.ROOT, "%.2f", (double) nanos / floorNanos);
	}

}
