package io.github.etcdspring.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.RegistryFormat;
import io.github.etcdspring.registry.EtcdRegistration;
import io.github.etcdspring.registry.EtcdServiceProperties;
import io.github.etcdspring.registry.EtcdServiceRegistry;
import io.grpc.stub.StreamObserver;

/**
 * What one {@link EtcdServiceRegistry} costs to register 1,000 instances and deregister
 * 900 of them, one call after the other, as an application that registers many instances
 * (or a sidecar) would, next to its floor measured in the same round: the same keys and
 * values written with plain jetcd puts under a lease of the same TTL, then deleted with
 * plain deletes. Each call waits for etcd's answer before the next starts.
 * <p>
 * Each round uses a new registry, a new service and so a new lease, and a new lease for
 * the floor; the two alternate which goes first. The first round also pays for the JVM's
 * warm-up. 900 of the 1,000 are deregistered so that the last deregistration is not the
 * one that revokes the lease.
 * <p>
 * Run with
 * {@code java -cp benchmarks.jar io.github.etcdspring.benchmarks.RegistrationBenchmark [rounds]}.
 *
 * @author etcd-spring-boot contributors
 */
public final class RegistrationBenchmark {

	private static final int INSTANCES = 1_000;

	private static final int DEREGISTERED = 900;

	private static final int DEFAULT_ROUNDS = 5;

	/**
	 * The starter's default {@code etcd.keepalive-ttl}.
	 */
	private static final Duration KEEPALIVE_TTL = Duration.ofSeconds(10);

	private RegistrationBenchmark() {
	}

	public static void main(String[] args) {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : DEFAULT_ROUNDS;
		try (BenchmarkEtcd etcd = BenchmarkEtcd.start(); Client client = etcd.newClient()) {
			EtcdServiceRegistry.Settings settings = new EtcdServiceRegistry.Settings(List.of(etcd.endpoint()),
					KEEPALIVE_TTL, BenchmarkRegistry.REQUEST_TIMEOUT, true, new EtcdServiceProperties.Retry());
			List<Round> results = new ArrayList<>();
			for (int round = 1; round <= rounds; round++) {
				String serviceId = "registration-" + round;
				List<EtcdRegistration> registrations = registrations(serviceId);
				Calls floor;
				Calls starter;
				if (round % 2 == 1) {
					floor = plain(client, registrations);
					starter = registry(client, settings, registrations);
				}
				else {
					starter = registry(client, settings, registrations);
					floor = plain(client, registrations);
				}
				results.add(new Round(round, floor, starter));
			}
			print(results);
		}
	}

	private static List<EtcdRegistration> registrations(String serviceId) {
		List<EtcdRegistration> registrations = new ArrayList<>(INSTANCES);
		for (int i = 0; i < INSTANCES; i++) {
			EtcdRegistration registration = new EtcdRegistration(serviceId, "127.0.0.1");
			registration.setPort(10_000 + i);
			registration.setInstanceId("127.0.0.1:" + registration.getPort());
			registrations.add(registration);
		}
		return registrations;
	}

	/**
	 * The floor: the keys and values the registry writes, put one after the other under a
	 * lease, then deleted one after the other.
	 */
	private static Calls plain(Client client, List<EtcdRegistration> registrations) {
		KV kv = client.getKVClient();
		long leaseId = BenchmarkRegistry.await(client.getLeaseClient().grant(KEEPALIVE_TTL.toSeconds())).getID();
		// kept alive as the registry keeps its own
		CloseableClient keepAlive = client.getLeaseClient().keepAlive(leaseId, new StreamObserver<>() {

			@Override
			public void onNext(LeaseKeepAliveResponse response) {
			}

			@Override
			public void onError(Throwable error) {
			}

			@Override
			public void onCompleted() {
			}

		});
		PutOption underLease = PutOption.builder().withLeaseId(leaseId).build();
		List<ByteSequence> keys = new ArrayList<>(INSTANCES);
		List<ByteSequence> values = new ArrayList<>(INSTANCES);
		for (EtcdRegistration registration : registrations) {
			EtcdServiceInstance instance = registration.toServiceInstance();
			keys.add(BenchmarkRegistry.key(instance));
			values.add(BenchmarkRegistry.value(instance));
		}
		try {
			Calls calls = new Calls();
			for (int i = 0; i < INSTANCES; i++) {
				long start = System.nanoTime();
				BenchmarkRegistry.await(kv.put(keys.get(i), values.get(i), underLease));
				calls.registered(System.nanoTime() - start);
			}
			for (int i = 0; i < DEREGISTERED; i++) {
				long start = System.nanoTime();
				BenchmarkRegistry.await(kv.delete(keys.get(i)));
				calls.deregistered(System.nanoTime() - start);
			}
			return calls;
		}
		finally {
			keepAlive.close();
			BenchmarkRegistry.await(client.getLeaseClient().revoke(leaseId));
		}
	}

	private static Calls registry(Client client, EtcdServiceRegistry.Settings settings,
			List<EtcdRegistration> registrations) {
		String serviceId = registrations.get(0).getServiceId();
		EtcdServiceRegistry registry = new EtcdServiceRegistry(client,
				Map.of("native", RegistryFormat.of(BenchmarkRegistry.LAYOUT, BenchmarkRegistry.CODEC)),
				List.of("native"), settings, (event) -> {
				});
		try {
			Calls calls = new Calls();
			for (EtcdRegistration registration : registrations) {
				long start = System.nanoTime();
				registry.register(registration);
				calls.registered(System.nanoTime() - start);
			}
			expectInEtcd(client, serviceId, INSTANCES);
			for (int i = 0; i < DEREGISTERED; i++) {
				long start = System.nanoTime();
				registry.deregister(registrations.get(i));
				calls.deregistered(System.nanoTime() - start);
			}
			expectInEtcd(client, serviceId, INSTANCES - DEREGISTERED);
			return calls;
		}
		finally {
			long leaseId = registry.getLeaseId();
			registry.close();
			BenchmarkRegistry.await(client.getLeaseClient().revoke(leaseId));
		}
	}

	private static void expectInEtcd(Client client, String serviceId, int expected) {
		long found = BenchmarkRegistry
			.await(client.getKVClient()
				.get(BenchmarkRegistry.LAYOUT.servicePrefix(serviceId),
						GetOption.builder().isPrefix(true).withCountOnly(true).build()))
			.getCount();
		if (found != expected) {
			throw new IllegalStateException(found + " instances of " + serviceId + " are in etcd, not " + expected);
		}
	}

	private static void print(List<Round> rounds) {
		System.out.println("Registering " + INSTANCES + " instances one after the other, then deregistering "
				+ DEREGISTERED + ", with one EtcdServiceRegistry against plain jetcd puts and deletes of the same "
				+ "keys and values under a lease (the floor), in ms");
		System.out.println();
		System.out.println("| Round | put median | `register` median | difference | " + INSTANCES + " puts | "
				+ INSTANCES + " `register` | ratio |");
		System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
		for (Round round : rounds) {
			System.out.println(round.row(round.floor.registrations, round.starter.registrations));
		}
		System.out.println();
		System.out.println("| Round | delete median | `deregister` median | difference | " + DEREGISTERED
				+ " deletes | " + DEREGISTERED + " `deregister` | ratio |");
		System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
		for (Round round : rounds) {
			System.out.println(round.row(round.floor.deregistrations, round.starter.deregistrations));
		}
	}

	/**
	 * The duration of each call of one side of a round, in nanoseconds.
	 */
	private static final class Calls {

		final List<Long> registrations = new ArrayList<>(INSTANCES);

		final List<Long> deregistrations = new ArrayList<>(DEREGISTERED);

		void registered(long nanos) {
			this.registrations.add(nanos);
		}

		void deregistered(long nanos) {
			this.deregistrations.add(nanos);
		}

	}

	private record Round(int number, Calls floor, Calls starter) {

		String row(List<Long> floorCalls, List<Long> starterCalls) {
			long floorMedian = new Samples(floorCalls).median();
			long starterMedian = new Samples(starterCalls).median();
			long floorTotal = floorCalls.stream().mapToLong(Long::longValue).sum();
			long starterTotal = starterCalls.stream().mapToLong(Long::longValue).sum();
			return "| " + this.number + " | " + Samples.millis(floorMedian) + " | " + Samples.millis(starterMedian)
					+ " | " + Samples.millis(starterMedian - floorMedian) + " | " + Samples.millis(floorTotal) + " | "
					+ Samples.millis(starterTotal) + " | "
					+ String.format(Locale.ROOT, "%.2f", (double) starterTotal / floorTotal) + " |";
		}

	}

}
