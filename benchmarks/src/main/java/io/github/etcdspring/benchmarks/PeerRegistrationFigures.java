package io.github.etcdspring.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.springframework.cloud.client.serviceregistry.Registration;

/**
 * The registration figures of {@link PeerBenchmark}, measured with the same code for each
 * {@link PeerSide}, the sides taking turns in chunks so that the machine's noise falls on
 * both:
 * <ul>
 * <li>{@code register()} and {@code deregister()} of the {@code ServiceRegistry} bean,
 * one new registration after the other, and the floor of the same number of plain writes
 * and deletes;</li>
 * <li>from the {@code register()} call to the reader application's
 * {@code DiscoveryClient} returning the instance (polled every 20 microseconds by another
 * thread), and the floor of a plain write to a plain watch of another client. The
 * instance is deregistered (unmeasured) before the next one, so that the service has one
 * instance at a time.</li>
 * </ul>
 *
 * @author etcd-spring-boot contributors
 */
final class PeerRegistrationFigures {

	static final String REGISTER = "register";

	static final String DEREGISTER = "deregister";

	static final String CREATE = "floor create";

	static final String DELETE = "floor delete";

	static final String VISIBLE = "visible";

	static final String WATCHED = "floor watched";

	private static final int CHUNK = 100;

	private static final int FIRST_PORT = 10_000;

	private final List<PeerSide> sides;

	private PeerRegistrationFigures(List<PeerSide> sides) {
		this.sides = sides;
	}

	/**
	 * Register {@code count} instances of a new service with each side, then deregister
	 * {@code deregistrations} of them; the first round warms up and is not recorded.
	 * @param sides the sides
	 * @param warmup instances of the unrecorded round
	 * @param count instances to register
	 * @param deregistrations instances to deregister
	 */
	static void registrations(List<PeerSide> sides, int warmup, int count, int deregistrations) {
		PeerRegistrationFigures figures = new PeerRegistrationFigures(sides);
		figures.registrations("warmup", warmup, warmup, false);
		figures.registrations("registration", count, deregistrations, true);
	}

	/**
	 * Measure {@code changes} registrations from the call to their discovery by the
	 * reader on each side, after {@code warmup} unrecorded ones.
	 * @param sides the sides
	 * @param warmup unrecorded changes
	 * @param changes recorded changes
	 */
	static void propagation(List<PeerSide> sides, int warmup, int changes) {
		ExecutorService poller = Executors.newSingleThreadExecutor();
		try {
			for (int i = 0; i < warmup + changes; i++) {
				for (PeerSide side : sides) {
					propagate(side, poller, FIRST_PORT + i, i >= warmup);
				}
			}
		}
		finally {
			poller.shutdownNow();
		}
	}

	private void registrations(String serviceId, int count, int deregistrations, boolean record) {
		Map<PeerSide, List<Registration>> registrations = new ConcurrentHashMap<>();
		this.sides.forEach((side) -> registrations.put(side, new ArrayList<>()));
		for (int from = 0; from < count; from += CHUNK) {
			int to = Math.min(count, from + CHUNK);
			for (PeerSide side : this.sides) {
				for (int i = from; i < to; i++) {
					Registration registration = side.store.registration(serviceId, FIRST_PORT + i);
					long start = System.nanoTime();
					side.registry.register(registration);
					long elapsed = System.nanoTime() - start;
					registrations.get(side).add(registration);
					record(side, REGISTER, elapsed, record);
				}
				for (int i = from; i < to; i++) {
					byte[] value = BenchmarkRegistry.value(BenchmarkRegistry.instance(serviceId, i)).getBytes();
					long start = System.nanoTime();
					PeerSide.join(side.store.create(serviceId, instanceId(FIRST_PORT + i), value));
					record(side, CREATE, System.nanoTime() - start, record);
				}
			}
		}
		awaitDiscovered(serviceId, count);
		for (int from = 0; from < deregistrations; from += CHUNK) {
			int to = Math.min(deregistrations, from + CHUNK);
			for (PeerSide side : this.sides) {
				for (int i = from; i < to; i++) {
					Registration registration = registrations.get(side).get(i);
					long start = System.nanoTime();
					side.registry.deregister(registration);
					record(side, DEREGISTER, System.nanoTime() - start, record);
				}
				for (int i = from; i < to; i++) {
					long start = System.nanoTime();
					PeerSide.join(side.store.delete(serviceId, instanceId(FIRST_PORT + i)));
					record(side, DELETE, System.nanoTime() - start, record);
				}
			}
		}
		awaitDiscovered(serviceId, count - deregistrations);
		for (PeerSide side : this.sides) {
			for (int i = deregistrations; i < count; i++) {
				side.registry.deregister(registrations.get(side).get(i));
				PeerSide.join(side.store.delete(serviceId, instanceId(FIRST_PORT + i)));
			}
		}
	}

	private void awaitDiscovered(String serviceId, int count) {
		for (PeerSide side : this.sides) {
			PeerSide.await(() -> side.discovery.getInstances(serviceId).size() == count, Duration.ofMillis(100),
					count + " instances of " + serviceId + " in the reader of " + side.store.label());
		}
	}

	private static void propagate(PeerSide side, ExecutorService poller, int port, boolean record) {
		String serviceId = "propagation";
		String instanceId = instanceId(port);
		Registration registration = side.store.registration(serviceId, port);
		Future<Long> discovered = poller.submit(() -> {
			long deadline = System.nanoTime() + PeerSide.TIMEOUT.toNanos();
			while (!side.discovers(serviceId, instanceId)) {
				if (System.nanoTime() - deadline > 0) {
					throw new IllegalStateException(instanceId + " not discovered within " + PeerSide.TIMEOUT);
				}
				LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(20));
			}
			return System.nanoTime();
		});
		long start = System.nanoTime();
		side.registry.register(registration);
		long discoveredAt = get(discovered);
		side.registry.deregister(registration);
		PeerSide.awaitMicros(() -> !side.discovers(serviceId, instanceId),
				"the reader of " + side.store.label() + " to forget " + instanceId);
		Map<String, CompletableFuture<Long>> arrivals = new ConcurrentHashMap<>();
		CompletableFuture<Long> watched = new CompletableFuture<>();
		arrivals.put(instanceId, watched);
		try (AutoCloseable watch = side.store.watchInstances(serviceId,
				(created) -> arrivals.getOrDefault(created, new CompletableFuture<>()).complete(System.nanoTime()))) {
			byte[] value = BenchmarkRegistry.value(BenchmarkRegistry.instance(serviceId, port)).getBytes();
			long floorStart = System.nanoTime();
			CompletableFuture<Void> created = side.store.create(serviceId, instanceId, value);
			long watchedAt = PeerSide.join(watched);
			PeerSide.join(created);
			PeerSide.join(side.store.delete(serviceId, instanceId));
			record(side, VISIBLE, discoveredAt - start, record);
			record(side, WATCHED, watchedAt - floorStart, record);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Floor watch of " + side.store.label() + " failed: " + ex, ex);
		}
	}

	private static long get(Future<Long> future) {
		try {
			return future.get(PeerSide.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Discovery failed: " + ex, ex);
		}
	}

	private static void record(PeerSide side, String metric, long nanos, boolean record) {
		if (record) {
			side.record(metric, nanos);
		}
	}

	private static String instanceId(int port) {
		return "127.0.0.1:" + port;
	}

}
