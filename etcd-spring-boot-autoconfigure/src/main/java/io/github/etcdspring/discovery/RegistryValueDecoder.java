package io.github.etcdspring.discovery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.etcd.jetcd.KeyValue;
import io.github.etcdspring.discovery.CatalogFormats.Candidate;
import io.github.etcdspring.discovery.CatalogStorage.InstanceRef;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.RegistryKeyLayout;
import io.github.etcdspring.format.ServiceInstanceCodec;
import io.github.etcdspring.format.SharedInstanceValues;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Reads one key/value of the registry into an instance: the {@link CatalogFormats} tell
 * which formats may hold the key, and the first whose {@link ServiceInstanceCodec} reads
 * the value wins. The instance's metadata names that format
 * ({@value EtcdServiceInstance#FORMAT_METADATA_KEY}), and it shares its service id and
 * its metadata with equal instances decoded before ({@link SharedInstanceValues}), so
 * that the catalog stores them once. A value that no candidate can read, or a key under a
 * format's own prefix that its {@link RegistryKeyLayout} cannot parse, is skipped and
 * counted, with one warning naming the key ({@link WarnedKeys}); a key of the root of the
 * keyspace that no format parses is other data, skipped silently. Used on one thread
 * only.
 *
 * @author etcd-spring-boot contributors
 */
final class RegistryValueDecoder {

	// Under the catalog's name, where its users look for it.
	private static final Log logger = LogFactory.getLog(EtcdServiceCatalog.class);

	private final CatalogFormats formats;

	private final SharedInstanceValues sharedValues = new SharedInstanceValues();

	private final WarnedKeys warnedMalformedKeys = new WarnedKeys(WarnedKeys.DEFAULT_CAPACITY);

	private long skipped;

	RegistryValueDecoder(CatalogFormats formats) {
		this.formats = formats;
	}

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

	/**
	 * The instance a key/value holds.
	 * @param keyValue the key/value
	 * @return the instance, or {@code null} when no format reads it (with a warning when
	 * it is malformed)
	 */
	@Nullable EtcdServiceInstance decode(KeyValue keyValue) {
		List<Candidate> candidates = this.formats.candidates(keyValue.getKey());
		if (candidates.isEmpty()) {
			String owner = this.formats.ownerOf(keyValue.getKey());
			if (owner != null) {
				skip(keyValue, "it is not an instance key of the " + owner + " format");
			}
			return null;
		}
		Map<String, String> failures = new LinkedHashMap<>();
		for (Candidate candidate : candidates) {
			try {
				EtcdServiceInstance instance = candidate.format()
					.codec()
					.decode(candidate.key().serviceId(), candidate.key().instanceId(), keyValue.getValue().getBytes());
				return this.sharedValues.share(instance, candidate.name());
			}
			catch (RuntimeException ex) {
				// MalformedInstanceException, or a codec that breaks its contract: either
				// way this format cannot read the value
				failures.put(candidate.name(), ex.getMessage());
			}
		}
		skip(keyValue, (failures.size() == 1) ? failures.values().iterator().next() : "no format reads it " + failures);
		return null;
	}

	/**
	 * The instances a key may hold, whatever its value: one per format that may hold it.
	 * @param keyValue the key/value
	 * @return the references, maybe none
	 */
	List<InstanceRef> refsOf(KeyValue keyValue) {
		return this.formats.candidates(keyValue.getKey())
			.stream()
			.map((candidate) -> new InstanceRef(candidate.key().serviceId(), candidate.name(),
					candidate.key().instanceId()))
			.toList();
	}

	/**
	 * How many times an entry was skipped because it is malformed (a key read again
	 * counts again).
	 * @return the count
	 */
	long skipped() {
		return this.skipped;
	}

	private void skip(KeyValue keyValue, @Nullable String reason) {
		this.skipped++;
		String key = keyValue.getKey().toString(StandardCharsets.UTF_8);
		if (this.warnedMalformedKeys.firstReport(key, keyValue.getModRevision())) {
			logger.warn("Skipping etcd key '" + key + "' of the service registry: " + reason);
		}
	}

}
