package io.github.etcdspring.discovery;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;

/**
 * A {@link ReactiveDiscoveryClient} that answers from the {@link EtcdServiceCatalog}.
 * Unlike the Consul and Zookeeper clients it propagates errors, so that the reactive
 * discovery health is honest.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdReactiveDiscoveryClient implements ReactiveDiscoveryClient {

	private final EtcdServiceCatalog catalog;

	private final int order;

	public EtcdReactiveDiscoveryClient(EtcdServiceCatalog catalog, int order) {
		this.catalog = catalog;
		this.order = order;
	}

	@Override
	public String description() {
		return "etcd Reactive Discovery Client";
	}

	@Override
	public Flux<ServiceInstance> getInstances(String serviceId) {
		return Flux.defer(() -> Flux.fromIterable(this.catalog.getInstances(serviceId)));
	}

	@Override
	public Flux<String> getServices() {
		return Flux.defer(() -> Flux.fromIterable(this.catalog.getServices()));
	}

	@Override
	public Mono<Void> reactiveProbe() {
		return Mono.fromFuture(this.catalog::probeAsync);
	}

	@Override
	public int getOrder() {
		return this.order;
	}

}
