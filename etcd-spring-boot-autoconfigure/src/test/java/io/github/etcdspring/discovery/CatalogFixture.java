package io.github.etcdspring.discovery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.JsonServiceInstanceCodec;
import io.github.etcdspring.format.MalformedInstanceException;
import io.github.etcdspring.format.NativeKeyLayout;
import io.github.etcdspring.format.RegistryKeyLayout;

import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEventPublisher;

import static io.github.etcdspring.test.EtcdKeys.await;

/**
 * A catalog under test with what it published, and a writer of registry entries.
 */
final class CatalogFixture implements AutoCloseable {

	static final NativeKeyLayout LAYOUT = new NativeKeyLayout("services");

	static final JsonServiceInstanceCodec CODEC = new JsonServiceInstanceCodec();

	final List<HeartbeatEvent> heartbeats = new CopyOnWriteArrayList<>();

	final EtcdServiceCatalog catalog;

	private final Client client;

	CatalogFixture(Client client, boolean includeUnavailable, Duration retryDelay) {
		this.client = client;
		ApplicationEventPublisher publisher = (event) -> {
			if (event instanceof HeartbeatEvent heartbeat) {
				this.heartbeats.add(heartbeat);
			}
		};
		this.catalog = new EtcdServiceCatalog(client, LAYOUT, CODEC, publisher, includeUnavailable,
				Duration.ofSeconds(5), retryDelay, retryDelay.multipliedBy(4), true);
	}

	CatalogFixture start() {
		this.catalog.start();
		return this;
	}

	/**
	 * Record every event the catalog emits from now on, as {@code "TYPE instance-id"}.
	 * @return the events, in the order emitted
	 */
	List<String> recordEvents() {
		List<String> events = new CopyOnWriteArrayList<>();
		this.catalog.subscribe(null, (event) -> events.add(event.type() + " " + event.instance().getInstanceId()));
		return events;
	}

	@Override
	public void close() {
		this.catalog.stop();
		this.catalog.destroy();
		this.client.close();
	}

	static EtcdServiceInstance instance(String service, String id, int port, String status) {
		return new EtcdServiceInstance(service, id, "127.0.0.1", port, false, status, 1, Map.of());
	}

	static void register(Client writer, EtcdServiceInstance instance) {
		await(writer.getKVClient()
			.put(LAYOUT.instanceKey(instance.getServiceId(), instance.getInstanceId()),
					ByteSequence.from(CODEC.encode(instance))));
	}

	static void remove(Client writer, String service, String id) {
		await(writer.getKVClient().delete(LAYOUT.instanceKey(service, id)));
	}

	static void putRaw(Client writer, String key, String value) {
		await(writer.getKVClient()
			.put(ByteSequence.from(key, StandardCharsets.UTF_8), ByteSequence.from(value, StandardCharsets.UTF_8)));
	}

	/**
	 * What a fresh range read of the registry decodes to, skipping malformed entries like
	 * the catalog does.
	 */
	static Map<String, EtcdServiceInstance> freshRead(Client reader) {
		List<KeyValue> keyValues = await(
				reader.getKVClient().get(LAYOUT.registryPrefix(), GetOption.builder().isPrefix(true).build()))
			.getKvs();
		java.util.Map<String, EtcdServiceInstance> instances = new java.util.TreeMap<>();
		for (KeyValue keyValue : keyValues) {
			RegistryKeyLayout.InstanceKey key = LAYOUT.parse(keyValue.getKey());
			if (key == null) {
				continue;
			}
			try {
				instances.put(key.serviceId() + "/" + key.instanceId(), decode(key, keyValue.getValue().getBytes()));
			}
			catch (MalformedInstanceException ex) {
				// skipped, as the catalog does
			}
		}
		return instances;
	}

	/**
	 * What the catalog reads in a native value: what the codec decodes, its metadata
	 * naming the native format.
	 */
	static EtcdServiceInstance decode(RegistryKeyLayout.InstanceKey key, byte[] value) {
		EtcdServiceInstance decoded = CODEC.decode(key.serviceId(), key.instanceId(), value);
		Map<String, String> metadata = new LinkedHashMap<>(decoded.getRegisteredMetadata());
		metadata.put(EtcdServiceInstance.FORMAT_METADATA_KEY, CatalogFormats.NATIVE);
		return new EtcdServiceInstance(decoded.getServiceId(), decoded.getInstanceId(), decoded.getHost(),
				decoded.getPort(), decoded.isSecure(), decoded.getStatus(), decoded.getWeight(), metadata);
	}

	/**
	 * Everything the catalog holds, whatever the status, keyed like {@link #freshRead}.
	 */
	Map<String, EtcdServiceInstance> contents() {
		java.util.Map<String, EtcdServiceInstance> instances = new java.util.TreeMap<>();
		this.catalog.getAllInstances()
			.forEach((instance) -> instances.put(instance.getServiceId() + "/" + instance.getInstanceId(), instance));
		return instances;
	}

}
