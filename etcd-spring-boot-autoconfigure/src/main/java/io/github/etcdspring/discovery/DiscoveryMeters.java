package io.github.etcdspring.discovery;

import io.github.etcdspring.watch.WatchMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The meters of service discovery: {@code etcd.discovery.instances}, the instances the
 * catalog holds per {@code format} read, and the meters of its watch
 * ({@link WatchMeters}, {@code watch=registry}).
 *
 * @author etcd-spring-boot contributors
 */
public class DiscoveryMeters implements MeterBinder {

	/** The {@code watch} tag of the catalog's watch. */
	public static final String WATCH_NAME = "registry";

	private final EtcdServiceCatalog catalog;

	/**
	 * The meters of a catalog.
	 * @param catalog the catalog
	 */
	public DiscoveryMeters(EtcdServiceCatalog catalog) {
		this.catalog = catalog;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String format : this.catalog.getFormatNames()) {
			Gauge
				.builder("etcd.discovery.instances", this.catalog,
						(catalog) -> catalog.getInstanceCountsByFormat().getOrDefault(format, 0L))
				.description("Instances of the registry that the discovery catalog holds, whatever their status")
				.tag("format", format)
				.register(registry);
		}
		new WatchMeters(WATCH_NAME, this.catalog.getWatchCounts()).bindTo(registry);
	}

}
