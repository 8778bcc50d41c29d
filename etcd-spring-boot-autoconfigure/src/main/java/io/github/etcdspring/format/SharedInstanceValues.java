package io.github.etcdspring.format;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stores once the values that many instances hold alike: service ids, whole metadata
 * maps, and metadata keys and values. Decoded one by one, a thousand instances of one
 * service would otherwise hold a thousand equal service id strings and metadata maps; a
 * cache of them then costs little more per instance than its id and host.
 * <p>
 * Each pool is bounded: once it holds its capacity of values it is emptied and fills
 * again, so it never keeps more than that of values whose instances are gone, and values
 * that differ from instance to instance cost no more than the bound. Not thread-safe:
 * used by one thread.
 *
 * @author etcd-spring-boot contributors
 */
public final class SharedInstanceValues {

	/** How many values each pool holds at most by default. */
	public static final int DEFAULT_CAPACITY = 4096;

	private final int capacity;

	private final Map<String, String> strings = new HashMap<>();

	private final Map<Map<String, String>, Map<String, String>> metadataMaps = new HashMap<>();

	/**
	 * Pools of {@link #DEFAULT_CAPACITY} values each.
	 */
	public SharedInstanceValues() {
		this(DEFAULT_CAPACITY);
	}

	/**
	 * @param capacity how many values each pool holds at most
	 */
	public SharedInstanceValues(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be positive, was " + capacity);
		}
		this.capacity = capacity;
	}

	/**
	 * An instance equal to the given one plus the metadata naming its format, whose
	 * service id, metadata map, and metadata keys and values are those of equal instances
	 * shared before, as long as they are still pooled.
	 * @param instance the instance, as decoded
	 * @param format the name of the format it was read in, stored as its
	 * {@value EtcdServiceInstance#FORMAT_METADATA_KEY} metadata
	 * @return the instance sharing its values
	 */
	public EtcdServiceInstance share(EtcdServiceInstance instance, String format) {
		Map<String, String> metadata = new LinkedHashMap<>();
		instance.getMetadata().forEach((key, value) -> metadata.put(shared(key), shared(value)));
		metadata.put(EtcdServiceInstance.FORMAT_METADATA_KEY, shared(format));
		return new EtcdServiceInstance(instance, shared(instance.getServiceId()), sharedMap(Map.copyOf(metadata)));
	}

	private String shared(String value) {
		String known = this.strings.get(value);
		if (known != null) {
			return known;
		}
		if (this.strings.size() >= this.capacity) {
			this.strings.clear();
		}
		this.strings.put(value, value);
		return value;
	}

	private Map<String, String> sharedMap(Map<String, String> metadata) {
		Map<String, String> known = this.metadataMaps.get(metadata);
		if (known != null) {
			return known;
		}
		if (this.metadataMaps.size() >= this.capacity) {
			this.metadataMaps.clear();
		}
		this.metadataMaps.put(metadata, metadata);
		return metadata;
	}

}
