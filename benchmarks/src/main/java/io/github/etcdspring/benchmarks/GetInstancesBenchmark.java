package io.github.etcdspring.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.github.etcdspring.discovery.EtcdDiscoveryClient;
import io.github.etcdspring.discovery.EtcdServiceCatalog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.cloud.client.ServiceInstance;

/**
 * Latency of {@link EtcdDiscoveryClient#getInstances(String)} for a service with 1, 100
 * 10,000 and 100,000 instances, read from a started {@link EtcdServiceCatalog} that a
 * real etcd filled. Each fork starts its own etcd.
 *
 * @author etcd-spring-boot contributors
 */
@State(Scope.Benchmark)
@BenchmarkMode({ Mode.SampleTime, Mode.AverageTime })
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GetInstancesBenchmark {

	@Param({ "1", "100", "10000", "100000" })
	public int instances;

	private final String serviceId = "payments";

	private BenchmarkEtcd etcd;

	private Client client;

	private EtcdServiceCatalog catalog;

	private EtcdDiscoveryClient discoveryClient;

	@Setup(Level.Trial)
	public void startCatalog() {
		this.etcd = BenchmarkEtcd.start();
		this.client = this.etcd.newClient();
		BenchmarkRegistry.write(this.client, this.serviceId, this.instances);
		this.catalog = BenchmarkRegistry.catalog(this.client);
		this.catalog.start();
		this.discoveryClient = new EtcdDiscoveryClient(this.catalog, 0);
		int found = this.discoveryClient.getInstances(this.serviceId).size();
		if (found != this.instances) {
			throw new IllegalStateException("The catalog holds " + found + " instances, not " + this.instances);
		}
	}

	@Benchmark
	public List<ServiceInstance> getInstances() {
		return this.discoveryClient.getInstances(this.serviceId);
	}

	@TearDown(Level.Trial)
	public void stopCatalog() {
		this.catalog.destroy();
		this.client.close();
		this.etcd.close();
	}

}
