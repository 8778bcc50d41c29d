package io.github.etcdspring.benchmarks;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.github.etcdspring.discovery.EtcdServiceCatalog;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.InstanceStatus;
import io.github.etcdspring.format.JsonServiceInstanceCodec;
import io.github.etcdspring.format.NativeKeyLayout;

/**
 * The registry the benchmarks write and read: the starter's default layout
 * ({@code services/}) and JSON format, with instances that look like those of a real
 * deployment.
 *
 * @author etcd-spring-boot contributors
 */
final class BenchmarkRegistry {

	static final NativeKeyLayout LAYOUT = new NativeKeyLayout("services");

	static final JsonServiceInstanceCodec CODEC = new JsonServiceInstanceCodec();

	/**
	 * The starter's default {@code etcd.request-timeout}.
	 */
	static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * The starter's default {@code etcd.retry.delay}.
	 */
	private static final Duration RETRY_DELAY = Duration.ofMillis(500);

	/**
	 * The starter's default {@code etcd.retry.max-delay}.
	 */
	private static final Duration MAX_RETRY_DELAY = Duration.ofMillis(2500);

	/**
	 * etcd's default limit of operations in one transaction ({@code --max-txn-ops}).
	 */
	private static final int MAX_TXN_OPS = 128;

	private BenchmarkRegistry() {
	}

	/**
	 * The instance number {@code index} of a service: a distinct address on port 8080,
	 * UP, with a version and a zone in its metadata.
	 * @param serviceId the service
	 * @param index from 0 to 16,777,215
	 * @return the instance
	 */
	static EtcdServiceInstance instance(String serviceId, int index) {
		String host = "10." + (index >> 16 & 0xff) + "." + (index >> 8 & 0xff) + "." + (index & 0xff);
		return new EtcdServiceInstance(serviceId, host + ":8080", host, 8080, false, InstanceStatus.UP, 1,
				Map.of("version", "1.4.2", "zone", "zone-" + (index % 3)));
	}

	static ByteSequence key(EtcdServiceInstance instance) {
		return LAYOUT.instanceKey(instance.getServiceId(), instance.getInstanceId());
	}

	static ByteSequence value(EtcdServiceInstance instance) {
		return ByteSequence.from(CODEC.encode(instance));
	}

	/**
	 * Write instances 0 to {@code count - 1} of a service, in transactions of at most
	 * {@value #MAX_TXN_OPS} puts.
	 * @param client the client to write with
	 * @param serviceId the service
	 * @param count how many instances
	 */
	static void write(Client client, String serviceId, int count) {
		for (int from = 0; from < count; from += MAX_TXN_OPS) {
			Op[] puts = IntStream.range(from, Math.min(count, from + MAX_TXN_OPS))
				.mapToObj((index) -> instance(serviceId, index))
				.map((instance) -> Op.put(key(instance), value(instance), PutOption.DEFAULT))
				.toArray(Op[]::new);
			await(client.getKVClient().txn().Then(puts).commit());
		}
	}

	/**
	 * A catalog configured as the auto-configuration does by default; the caller starts
	 * and destroys it.
	 * @param client the client the catalog reads and watches with
	 * @return the catalog, not started
	 */
	static EtcdServiceCatalog catalog(Client client) {
		return new EtcdServiceCatalog(client, LAYOUT, CODEC, (event) -> {
		}, false, REQUEST_TIMEOUT, RETRY_DELAY, MAX_RETRY_DELAY, true);
	}

	static <T> T await(CompletableFuture<T> future) {
		try {
			return future.get(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for etcd", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("etcd request failed: " + ex.getMessage(), ex);
		}
	}

}
