package io.github.etcdspring.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.github.etcdspring.benchmarks.peer.ProbeApplication;
import io.github.etcdspring.benchmarks.peer.ProbeApplication.ProbeValue;
import io.github.etcdspring.benchmarks.peer.ProbeApplication.RefreshTimeline;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One registry in {@link PeerBenchmark}: its store and two {@link ProbeApplication}s
 * connected to it in this JVM, the {@code writer} that registers and refreshes, and the
 * {@code reader}, another application whose {@link DiscoveryClient} should see the
 * registrations.
 *
 * @author etcd-spring-boot contributors
 */
final class PeerSide implements AutoCloseable {

	/**
	 * The longest any single wait of the benchmark may take.
	 */
	static final Duration TIMEOUT = Duration.ofSeconds(30);

	final PeerStore store;

	final String name;

	final ServiceRegistry<Registration> registry;

	final DiscoveryClient discovery;

	final ProbeValue value;

	final RefreshTimeline timeline;

	private final List<ConfigurableApplicationContext> contexts;

	private final Map<String, List<Long>> samples = new HashMap<>();

	@SuppressWarnings("unchecked")
	private PeerSide(PeerStore store, String name, ConfigurableApplicationContext writer,
			ConfigurableApplicationContext reader) {
		this.store = store;
		this.name = name;
		this.contexts = List.of(writer, reader);
		this.registry = writer.getBean(ServiceRegistry.class);
		this.discovery = reader.getBean(DiscoveryClient.class);
		this.value = writer.getBean(ProbeValue.class);
		this.timeline = writer.getBean(RefreshTimeline.class);
	}

	/**
	 * Start the two applications of a store, after writing the properties they import.
	 * @param store the store
	 * @param name the writer's {@code spring.application.name}
	 * @param properties the properties to write first, with the value {@code initial}
	 * @return the side
	 */
	static PeerSide start(PeerStore store, String name, List<String> properties) {
		for (String property : properties) {
			PeerSide.join(store.writeConfig(name, property, "initial"));
		}
		ConfigurableApplicationContext writer = start(store, name);
		try {
			return new PeerSide(store, name, writer, start(store, name + "-reader"));
		}
		catch (RuntimeException ex) {
			writer.close();
			throw ex;
		}
	}

	private static ConfigurableApplicationContext start(PeerStore store, String name) {
		List<String> arguments = new ArrayList<>(
				List.of("--spring.main.banner-mode=off", "--spring.application.name=" + name));
		arguments.addAll(store.arguments(name));
		ConfigurableApplicationContext context = ProbeApplication.start(arguments.toArray(String[]::new));
		for (String bean : context.getBeanDefinitionNames()) {
			Class<?> type = context.getType(bean);
			if (type != null && type.getName().startsWith(store.foreignPackage())
					&& !type.getName().startsWith(ProbeApplication.class.getPackageName())) {
				context.close();
				throw new IllegalStateException("The application of " + store.label() + " has the bean " + bean
						+ " of the other integration (" + type.getName() + ")");
			}
		}
		return context;
	}

	/**
	 * Whether the reader's {@link DiscoveryClient} returns an instance.
	 * @param serviceId the service
	 * @param instanceId the instance
	 * @return whether it does
	 */
	boolean discovers(String serviceId, String instanceId) {
		for (ServiceInstance instance : this.discovery.getInstances(serviceId)) {
			if (instanceId.equals(instance.getInstanceId())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Record a measurement.
	 * @param metric what was measured
	 * @param nanos the measurement (a count for counts)
	 */
	void record(String metric, long nanos) {
		this.samples.computeIfAbsent(metric, (key) -> new ArrayList<>()).add(nanos);
	}

	/**
	 * The measurements of a metric.
	 * @param metric what was measured
	 * @return the measurements, empty if none
	 */
	List<Long> samples(String metric) {
		return this.samples.getOrDefault(metric, List.of());
	}

	String property(String property) {
		return this.contexts.get(0).getEnvironment().getProperty(property);
	}

	/**
	 * Wait until a condition holds, checking at an interval; fails after
	 * {@link #TIMEOUT}.
	 * @param condition the condition
	 * @param interval the interval
	 * @param what what is awaited, for the failure
	 */
	static void await(BooleanSupplier condition, Duration interval, String what) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Timed out after " + TIMEOUT + " waiting for " + what);
			}
			LockSupport.parkNanos(interval.toNanos());
		}
	}

	/**
	 * The result of a request to a store, waiting at most {@link #TIMEOUT}.
	 * @param <T> the result's type
	 * @param future the request
	 * @return its result
	 */
	static <T> T join(CompletableFuture<T> future) {
		try {
			return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for a request", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Request failed: " + ex.getMessage(), ex);
		}
	}

	static void awaitMicros(BooleanSupplier condition, String what) {
		await(condition, Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(50)), what);
	}

	@Override
	public void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

}
