package io.github.etcdspring.discovery;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.github.etcdspring.endpoint.EtcdEndpointPart;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.watch.WatchCounts;
import io.github.etcdspring.watch.WatchListener;
import org.jspecify.annotations.Nullable;

/**
 * The {@code discovery} part of the {@code etcd} endpoint: the catalog's copy of the
 * registry (services, instances per service and per format, the revision) and what its
 * watch went through, from memory.
 *
 * @author etcd-spring-boot contributors
 */
public class DiscoveryEndpointPart implements EtcdEndpointPart {

	private final EtcdServiceCatalog catalog;

	/**
	 * The part of a catalog.
	 * @param catalog the catalog
	 */
	public DiscoveryEndpointPart(EtcdServiceCatalog catalog) {
		this.catalog = catalog;
	}

	@Override
	public String name() {
		return "discovery";
	}

	@Override
	public Discovery describe() {
		boolean loaded = this.catalog.isLoaded();
		List<EtcdServiceInstance> instances = loaded ? this.catalog.getAllInstances() : List.of();
		Map<String, Service> services = new TreeMap<>();
		instances.stream()
			.collect(Collectors.groupingBy(EtcdServiceInstance::getServiceId))
			.forEach((serviceId, ofService) -> services.put(serviceId, Service.of(ofService)));
		WatchCounts counts = this.catalog.getWatchCounts();
		Map<String, Long> resetsByReason = new LinkedHashMap<>();
		for (WatchListener.Reset reason : WatchListener.Reset.values()) {
			resetsByReason.put(reason.name().toLowerCase(Locale.ROOT), counts.resets(reason));
		}
		WatchCounts.LastReset lastReset = counts.lastReset();
		Watch watch = new Watch(counts.events(), counts.reconnects(), counts.resets(), resetsByReason,
				(lastReset != null) ? lastReset.reason().name().toLowerCase(Locale.ROOT) : null,
				(lastReset != null) ? lastReset.time().toString() : null);
		return new Discovery(loaded, List.copyOf(this.catalog.getFormatNames()), this.catalog.getRevision(),
				new TreeMap<>(this.catalog.getInstanceCountsByFormat()), services, timeOf(counts.lastEventTime()),
				watch);
	}

	private static @Nullable String timeOf(@Nullable Instant time) {
		return (time != null) ? time.toString() : null;
	}

	/**
	 * The catalog.
	 *
	 * @param loaded whether the registry was read at least once
	 * @param formats the formats read
	 * @param revision the revision of etcd the copy reflects, 0 before the first read
	 * @param instancesByFormat how many instances each format holds
	 * @param services the services, by id
	 * @param lastEventTime when the watch last applied a change, {@code null} when never
	 * @param watch what the watch went through
	 */
	public record Discovery(boolean loaded, List<String> formats, long revision, Map<String, Long> instancesByFormat,
			Map<String, Service> services, @Nullable String lastEventTime, Watch watch) {

	}

	/**
	 * One service of the catalog.
	 *
	 * @param instances how many instances, whatever their status
	 * @param up how many are UP
	 * @param instancesByFormat how many in each format
	 */
	public record Service(int instances, int up, Map<String, Long> instancesByFormat) {

		static Service of(List<EtcdServiceInstance> instances) {
			Map<String, Long> byFormat = instances.stream()
				.collect(Collectors.groupingBy(
						(instance) -> instance.getMetadata().getOrDefault(EtcdServiceInstance.FORMAT_METADATA_KEY, ""),
						TreeMap::new, Collectors.counting()));
			int up = (int) instances.stream().filter(EtcdServiceInstance::isUp).count();
			return new Service(instances.size(), up, byFormat);
		}

	}

	/**
	 * What the watch of the registry went through since the application started.
	 *
	 * @param events the changes applied
	 * @param reconnects the times it broke and was in place again
	 * @param resets the times the registry was read again
	 * @param resetsByReason those times by reason
	 * @param lastResetReason the reason of the last one, {@code null} when never
	 * @param lastResetTime when, {@code null} when never
	 */
	public record Watch(long events, long reconnects, long resets, Map<String, Long> resetsByReason,
			@Nullable String lastResetReason, @Nullable String lastResetTime) {

	}

}
