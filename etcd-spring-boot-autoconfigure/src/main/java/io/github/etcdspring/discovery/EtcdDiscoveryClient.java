package io.github.etcdspring.discovery;

import java.util.List;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * A {@link DiscoveryClient} that answers from the {@link EtcdServiceCatalog}, in memory.
 * Only {@code UP} instances are returned unless
 * {@code etcd.discovery.include-unavailable-instances} is set.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdDiscoveryClient implements DiscoveryClient {

	private final EtcdServiceCatalog catalog;

	private final int order;

	public EtcdDiscoveryClient(EtcdServiceCatalog catalog, int order) {
		this.catalog = catalog;
		this.order = order;
	}

	@Override
	public String description() {
		return "etcd Discovery Client";
	}

	@Override
	public List<ServiceInstance> getInstances(String serviceId) {
		return this.catalog.getInstances(serviceId);
	}

	@Override
	public List<String> getServices() {
		return this.catalog.getServices();
	}

	/**
	 * Asks etcd rather than the in-memory copy; Spring Cloud's discovery health calls it
	 * when
	 * {@code spring.cloud.discovery.client.health-indicator.use-services-query=false}.
	 */
	@Override
	public void probe() {
		this.catalog.probe();
	}

	@Override
	public int getOrder() {
		return this.order;
	}

}
