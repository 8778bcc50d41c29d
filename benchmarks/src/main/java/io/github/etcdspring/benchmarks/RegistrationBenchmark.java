package io.github.etcdspring.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdspring.format.RegistryFormat;
import io.github.etcdspring.registry.EtcdRegistration;
import io.github.etcdspring.registry.EtcdServiceProperties;
import io.github.etcdspring.registry.EtcdServiceRegistry;

/**
 * Time one {@link EtcdServiceRegistry} takes to register 1,000 instances, one
 * {@code register} call after the other, as an application that registers many instances
 * (or a sidecar) would. Each round uses a new registry, a new service and so a new lease;
 * the first round also pays for the JVM's warm-up.
 * <p>
 * Run with
 * {@code java -cp benchmarks.jar io.github.etcdspring.benchmarks.RegistrationBenchmark}.
 *
 * @author etcd-spring-boot contributors
 */
public final class RegistrationBenchmark {

	private static final int INSTANCES = 1_000;

	private static final int ROUNDS = 5;

	/**
	 * The starter's default {@code etcd.keepalive-ttl}.
	 */
	private static final Duration KEEPALIVE_TTL = Duration.ofSeconds(10);

	private RegistrationBenchmark() {
	}

	public static void main(String[] args) {
		try (BenchmarkEtcd etcd = BenchmarkEtcd.start(); Client client = etcd.newClient()) {
			EtcdServiceRegistry.Settings settings = new EtcdServiceRegistry.Settings(List.of(etcd.endpoint()),
					KEEPALIVE_TTL, BenchmarkRegistry.REQUEST_TIMEOUT, true, new EtcdServiceProperties.Retry());
			System.out.println("Registration of " + INSTANCES + " instances with one EtcdServiceRegistry");
			System.out.println();
			System.out.println("| Round | total (ms) | per instance (ms) |");
			System.out.println("|---:|---:|---:|");
			for (int round = 1; round <= ROUNDS; round++) {
				long elapsed = registerAll(client, settings, "registration-" + round);
				System.out.println("| " + round + " | " + Samples.millis(elapsed) + " | "
						+ Samples.millis(elapsed / INSTANCES) + " |");
			}
		}
	}

	private static long registerAll(Client client, EtcdServiceRegistry.Settings settings, String serviceId) {
		List<EtcdRegistration> registrations = new ArrayList<>(INSTANCES);
		for (int i = 0; i < INSTANCES; i++) {
			EtcdRegistration registration = new EtcdRegistration(serviceId, "127.0.0.1");
			registration.setPort(10_000 + i);
			registration.setInstanceId("127.0.0.1:" + registration.getPort());
			registrations.add(registration);
		}
		EtcdServiceRegistry registry = new EtcdServiceRegistry(client,
				Map.of("native", RegistryFormat.of(BenchmarkRegistry.LAYOUT, BenchmarkRegistry.CODEC)),
				List.of("native"), settings, (event) -> {
				});
		try {
			long start = System.nanoTime();
			registrations.forEach(registry::register);
			long elapsed = System.nanoTime() - start;
			long registered = BenchmarkRegistry
				.await(client.getKVClient()
					.get(BenchmarkRegistry.LAYOUT.servicePrefix(serviceId),
							GetOption.builder().isPrefix(true).withCountOnly(true).build()))
				.getCount();
			if (registered != INSTANCES) {
				throw new IllegalStateException(
						registered + " instances of " + serviceId + " are in etcd, not " + INSTANCES);
			}
			return elapsed;
		}
		finally {
			long leaseId = registry.getLeaseId();
			registry.close();
			BenchmarkRegistry.await(client.getLeaseClient().revoke(leaseId));
		}
	}

}
