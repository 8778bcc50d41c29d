package io.github.etcdspring.format.polyglot;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.etcd.jetcd.ByteSequence;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.RegistryFormat;
import io.github.etcdspring.format.RegistryKeyLayout.InstanceKey;
import org.jspecify.annotations.Nullable;

/**
 * Reading and writing golden keys and values of a format in tests.
 */
final class Golden {

	private final RegistryFormat format;

	Golden(PolyglotFormat format) {
		this(format, format.defaultPrefix());
	}

	Golden(PolyglotFormat format, String prefix) {
		this.format = format.create(prefix);
	}

	RegistryFormat format() {
		return this.format;
	}

	/** Read a key and its value as the catalog does. */
	EtcdServiceInstance read(String key, String value) {
		InstanceKey ids = parse(key);
		if (ids == null) {
			throw new AssertionError("key " + key + " does not parse");
		}
		return this.format.codec().decode(ids.serviceId(), ids.instanceId(), bytes(value));
	}

	@Nullable InstanceKey parse(String key) {
		return this.format.layout().parse(ByteSequence.from(key, StandardCharsets.UTF_8));
	}

	String key(EtcdServiceInstance instance, long leaseId) {
		return this.format.layout().instanceKey(instance, leaseId).toString(StandardCharsets.UTF_8);
	}

	String value(EtcdServiceInstance instance) {
		return new String(this.format.codec().encode(instance), StandardCharsets.UTF_8);
	}

	String serviceRange(String serviceId) {
		return this.format.layout().serviceRange(serviceId).key().toString(StandardCharsets.UTF_8);
	}

	String catalogRange() {
		return this.format.layout().catalogRanges().get(0).key().toString(StandardCharsets.UTF_8);
	}

	static EtcdServiceInstance instance(String serviceId, String instanceId, String host, int port, int weight,
			Map<String, String> metadata) {
		return new EtcdServiceInstance(serviceId, instanceId, host, port, false, "UP", weight, metadata);
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** A JSON value nested far deeper than any instance. */
	static String deeplyNested(String before, String after) {
		return before + "[".repeat(1000) + "]".repeat(1000) + after;
	}

	/** A JSON string value larger than any instance. */
	static String overLarge() {
		return "x".repeat(ForeignValues.MAX_VALUE_BYTES);
	}

}
