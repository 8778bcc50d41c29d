package io.github.etcdspring.sample.page;

import java.util.List;

import io.github.etcdspring.discovery.EtcdDiscoveryProperties;
import io.github.etcdspring.discovery.EtcdServiceCatalog;
import io.github.etcdspring.discovery.Subscription;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.registry.EtcdRegistration;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The registry: every instance of every service in each format that discovery reads
 * ({@code etcd.discovery.formats}), whatever its status, from the starter's in-memory
 * catalog, which its listener API reports changes of.
 *
 * @author etcd-spring-boot contributors
 */
@Component
class ServicesSection implements PageSection {

	private final EtcdServiceCatalog catalog;

	private final List<String> formats;

	private final EtcdRegistration registration;

	private @Nullable Subscription subscription;

	ServicesSection(EtcdServiceCatalog catalog, EtcdDiscoveryProperties discovery, EtcdRegistration registration) {
		this.catalog = catalog;
		this.formats = List.copyOf(discovery.getFormats());
		this.registration = registration;
	}

	@Override
	public String name() {
		return "registry";
	}

	@Override
	public Registry describe() {
		List<Instance> instances = this.catalog.isLoaded()
				? this.catalog.getAllInstances().stream().map(Instance::of).toList() : List.of();
		String self = this.registration.getServiceId() + "/" + this.registration.getInstanceId();
		return new Registry(this.formats, self, this.catalog.getRevision(), instances);
	}

	@Override
	public void start(Runnable changed) {
		this.subscription = this.catalog.subscribe(null, (event) -> changed.run());
	}

	@Override
	public void stop() {
		if (this.subscription != null) {
			this.subscription.close();
			this.subscription = null;
		}
	}

	/**
	 * The registry as the catalog holds it.
	 *
	 * @param formats the formats read
	 * @param self this instance, {@code service/instance}
	 * @param revision the etcd revision the catalog reflects
	 * @param instances every instance, by service and instance id
	 */
	record Registry(List<String> formats, String self, long revision, List<Instance> instances) {
	}

	/**
	 * One instance.
	 *
	 * @param service the service id
	 * @param id the instance id
	 * @param address host:port
	 * @param status UP, DOWN, OUT_OF_SERVICE or STARTING
	 * @param weight the weight
	 * @param format the format it was read in, e.g. {@code native} or {@code kitex}
	 */
	record Instance(String service, String id, String address, String status, int weight, String format) {

		static Instance of(EtcdServiceInstance instance) {
			return new Instance(instance.getServiceId(), instance.getInstanceId(),
					instance.getHost() + ":" + instance.getPort(), instance.getStatus(), instance.getWeight(),
					instance.getMetadata().getOrDefault(EtcdServiceInstance.FORMAT_METADATA_KEY, "native"));
		}

	}

}
