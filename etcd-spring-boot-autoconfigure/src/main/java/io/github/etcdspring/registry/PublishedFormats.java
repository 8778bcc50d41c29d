package io.github.etcdspring.registry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.etcd.jetcd.ByteSequence;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.RegistryFormat;
import io.github.etcdspring.format.RegistryKeyLayout;

/**
 * The registry formats an instance is published in, all under one lease: the keys and
 * values of an instance in each, and the combinations refused because Go readers would
 * misread them.
 * <p>
 * A combination is refused when a key published in one format falls in the range that the
 * readers of another published format list for the same service: they would read its
 * value as one of theirs (two formats writing the same key is the extreme case). The
 * readers' ranges are those of the Go libraries: {@code {prefix}/{service}/} for most,
 * but Gone lists {@code {service}} and Kratos {@code {namespace}/{service}} with no
 * separator, so at the root Gone's range of {@code echo} holds etcd's gRPC naming key
 * {@code echo/10.0.0.5:8080} and go-zero's {@code echo/{lease}}, and go-zero and gRPC
 * naming at the root share {@code echo/}. Besides, no format but Kratos is published
 * under Kratos's namespace ({@code etcd.formats.kratos.prefix}) even when Kratos is not
 * published: a Kratos reader fails its whole listing on one value it cannot decode.
 *
 * @author etcd-spring-boot contributors
 */
final class PublishedFormats {

	/** The name of the starter's own format in {@code service.formats}. */
	static final String NATIVE = "native";

	private static final String KRATOS = "kratos";

	private static final String GONE = "gone";

	/** A lease id to name the keys of a layout that names them after their lease. */
	private static final long SOME_LEASE = 1;

	private final Map<String, RegistryFormat> formats;

	private final Map<String, RegistryFormat> available;

	private PublishedFormats(Map<String, RegistryFormat> formats, Map<String, RegistryFormat> available) {
		this.formats = formats;
		this.available = available;
	}

	/**
	 * Select formats.
	 * @param available the formats that can be published, by name
	 * @param names the names of those to publish in
	 * @return the formats
	 * @throws IllegalArgumentException when a name is unknown or repeated, or none given
	 */
	static PublishedFormats select(Map<String, RegistryFormat> available, List<String> names) {
		if (names.isEmpty()) {
			throw new IllegalArgumentException("At least one format is needed, such as " + NATIVE);
		}
		Map<String, RegistryFormat> formats = new LinkedHashMap<>();
		for (String name : names) {
			String trimmed = name.trim();
			RegistryFormat format = available.get(trimmed);
			if (format == null) {
				throw new IllegalArgumentException("Unknown format '" + trimmed + "': the formats are "
						+ new TreeSet<>(available.keySet()) + " (those with JSON values need Jackson)");
			}
			if (formats.put(trimmed, format) != null) {
				throw new IllegalArgumentException("The format '" + trimmed + "' is listed twice");
			}
		}
		return new PublishedFormats(formats, available);
	}

	/**
	 * The names of the formats.
	 * @return the names, in order
	 */
	List<String> names() {
		return List.copyOf(this.formats.keySet());
	}

	/**
	 * Check that an instance can be published in these formats.
	 * @param instance the instance
	 * @throws IllegalArgumentException when a layout cannot hold it, or when the keys of
	 * one format would be read by the readers of another
	 */
	void check(EtcdServiceInstance instance) {
		String serviceId = instance.getServiceId();
		Map<String, String> keys = new LinkedHashMap<>();
		this.formats.forEach((name, format) -> keys.put(name, text(format.layout().instanceKey(instance, SOME_LEASE))));
		RegistryFormat kratos = this.available.get(KRATOS);
		String kratosNamespace = (kratos != null) ? text(kratos.layout().catalogRanges().get(0).key()) : null;
		for (Map.Entry<String, String> published : keys.entrySet()) {
			String name = published.getKey();
			String key = published.getValue();
			String shown = "'" + key + "'"
					+ (key(name, this.formats.get(name).layout(), instance).describe(0).equals(key) ? ""
							: " (named after its lease, here " + SOME_LEASE + ")");
			if (kratosNamespace != null && !name.equals(KRATOS) && key.startsWith(kratosNamespace)) {
				throw new IllegalArgumentException("The " + name + " key " + shown + " is under Kratos's namespace '"
						+ kratosNamespace + "' (etcd.formats.kratos.prefix), whose readers fail on any value that is "
						+ "not Kratos's");
			}
			for (Map.Entry<String, RegistryFormat> reader : this.formats.entrySet()) {
				String readerRange = readerRange(reader.getKey(), reader.getValue().layout(), serviceId);
				if (!reader.getKey().equals(name) && key.startsWith(readerRange)) {
					throw new IllegalArgumentException("The " + name + " key " + shown + " of service '" + serviceId
							+ "' is in the range '" + readerRange + "' that " + reader.getKey()
							+ " readers list for it: they would read its value as theirs; "
							+ "move one of the formats with etcd.formats.<format>.prefix or publish only one");
				}
			}
		}
	}

	/**
	 * The keys of an instance, one per format.
	 * @param instance the instance
	 * @return the keys
	 */
	List<LeasedKey> keys(EtcdServiceInstance instance) {
		List<LeasedKey> keys = new ArrayList<>();
		this.formats.forEach((name, format) -> keys.add(key(name, format.layout(), instance)));
		return keys;
	}

	/**
	 * The keys and values of an instance, one per format.
	 * @param instance the instance
	 * @return the entries
	 */
	Map<LeasedKey, ByteSequence> entries(EtcdServiceInstance instance) {
		Map<LeasedKey, ByteSequence> entries = new LinkedHashMap<>();
		this.formats.forEach((name, format) -> entries.put(key(name, format.layout(), instance),
				ByteSequence.from(format.codec().encode(instance))));
		return entries;
	}

	/**
	 * The key of an instance in a layout; named after the lease when the layout gives
	 * different keys under different leases (go-zero).
	 */
	private static LeasedKey key(String name, RegistryKeyLayout layout, EtcdServiceInstance instance) {
		ByteSequence underOne = layout.instanceKey(instance, SOME_LEASE);
		if (underOne.equals(layout.instanceKey(instance, SOME_LEASE + 1))) {
			return LeasedKey.fixed(underOne);
		}
		return LeasedKey.namedAfterLease(
				name + ":" + instance.getServiceId() + "/" + instance.getInstanceId() + " (named after its lease)",
				(leaseId) -> layout.instanceKey(instance, leaseId));
	}

	/**
	 * The range the Go readers of a format list for a service.
	 */
	private static String readerRange(String name, RegistryKeyLayout layout, String serviceId) {
		String range = text(layout.serviceRange(serviceId).key());
		boolean noSeparator = name.equals(GONE) || name.equals(KRATOS);
		return noSeparator ? range.substring(0, range.length() - 1) : range;
	}

	private static String text(ByteSequence bytes) {
		return bytes.toString(StandardCharsets.UTF_8);
	}

}
