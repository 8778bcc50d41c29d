package io.github.etcdspring.discovery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.etcd.jetcd.KeyValue;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.RegistryKeyLayout;
import io.github.etcdspring.format.RegistryKeyLayout.InstanceKey;
import io.github.etcdspring.format.ServiceInstanceCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Reads one key/value of the registry into an instance with the {@link RegistryKeyLayout}
 * and the {@link ServiceInstanceCodec}. A key that is not an instance key, or a value the
 * codec cannot read, is skipped with one warning naming the key ({@link WarnedKeys}).
 * Used on one thread only.
 *
 * @author etcd-spring-boot contributors
 */
final class RegistryValueDecoder {

	// Under the catalog's name, where its users look for it.
	private static final Log logger = LogFactory.getLog(EtcdServiceCatalog.class);

	private final RegistryKeyLayout layout;

	private final ServiceInstanceCodec codec;

	private final WarnedKeys warnedMalformedKeys = new WarnedKeys(WarnedKeys.DEFAULT_CAPACITY);

	RegistryValueDecoder(RegistryKeyLayout layout, ServiceInstanceCodec codec) {
		this.layout = layout;
		this.codec = codec;
	}

	/**
	 * The service and instance a key names.
	 * @param keyValue the key/value
	 * @return them, or {@code null} (with a warning) when the key is not of the layout's
	 * form
	 */
	@Nullable InstanceKey parse(KeyValue keyValue) {
		InstanceKey key = this.layout.parse(keyValue.getKey());
		if (key == null) {
			warnOnce(keyValue, "it is not of the form " + this.layout + "{serviceId}/{instanceId}");
		}
		return key;
	}

	/**
	 * The instance a key/value holds.
	 * @param keyValue the key/value
	 * @return the instance, or {@code null} (with a warning) when the key or the value
	 * cannot be read
	 */
	/**
	 * The instances of a read, skipping (with one warning) the values that cannot be
	 * decoded.
	 * @param keyValues the key/values read
	 * @return the instances
	 */
	List<EtcdServiceInstance> decodeAll(List<KeyValue> keyValues) {
		List<EtcdServiceInstance> instances = new ArrayList<>();
		for (KeyValue keyValue : keyValues) {
			EtcdServiceInstance instance = decode(keyValue);
			if (instance != null) {
				instances.add(instance);
			}
		}
		return instances;
	}

	@Nullable EtcdServiceInstance decode(KeyValue keyValue) {
		InstanceKey key = parse(keyValue);
		return (key != null) ? decode(keyValue, key) : null;
	}

	/**
	 * The instance a key/value holds.
	 * @param keyValue the key/value
	 * @param key its parsed key
	 * @return the instance, or {@code null} (with a warning) when the value cannot be
	 * read
	 */
	@Nullable EtcdServiceInstance decode(KeyValue keyValue, InstanceKey key) {
		try {
			return this.codec.decode(key.serviceId(), key.instanceId(), keyValue.getValue().getBytes());
		}
		catch (RuntimeException ex) {
			// MalformedInstanceException, or a codec that breaks its contract: either way
			// the key is unreadable
			warnOnce(keyValue, ex.getMessage());
			return null;
		}
	}

	private void warnOnce(KeyValue keyValue, @Nullable String reason) {
		String key = keyValue.getKey().toString(StandardCharsets.UTF_8);
		if (this.warnedMalformedKeys.firstReport(key, keyValue.getModRevision())) {
			logger.warn("Skipping etcd key '" + key + "' of the service registry: " + reason);
		}
	}

}
