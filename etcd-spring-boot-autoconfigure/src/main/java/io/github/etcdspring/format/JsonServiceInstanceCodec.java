package io.github.etcdspring.format;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * The starter's own registry format: one JSON document per instance,
 * {@code {"id":"10.0.0.5:8080","name":"payments","host":"10.0.0.5","port":8080,"secure":false,"status":"UP","weight":1,"metadata":{"version":"1.4.2"}}}.
 * <p>
 * Readers need only {@code host} and {@code port}: {@code secure} defaults to false,
 * {@code status} to UP, {@code weight} to 1, {@code metadata} to none, and unknown fields
 * are ignored, so that other tools and languages can write instances with a minimal
 * document.
 *
 * @author etcd-spring-boot contributors
 */
public class JsonServiceInstanceCodec implements ServiceInstanceCodec {

	// Created on first use, not with the codec: starting Jackson takes a few hundred
	// milliseconds in a fresh JVM, which then overlap with the rest of the startup.
	private static final class Mapper {

		static final ObjectMapper INSTANCE = JsonMapper.builder()
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.build();

	}

	/**
	 * Start Jackson and its (de)serializers of instance documents on a background thread,
	 * so that they are ready when the application first reads or registers an instance. A
	 * first use while they start waits for them; a failure here is ignored (the first
	 * real use reports its own).
	 */
	public void preinitializeInBackground() {
		Thread thread = new Thread(() -> {
			try {
				decode("preinitialization", "0", encode(new EtcdServiceInstance("preinitialization", "0", "127.0.0.1",
						1, false, InstanceStatus.UP, 1, Map.of("key", "value"))));
			}
			catch (RuntimeException ex) {
				// the first real use reports it
			}
		}, "etcd-json-preinitialization");
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public byte[] encode(EtcdServiceInstance instance) {
		Document document = new Document(instance.getInstanceId(), instance.getServiceId(), instance.getHost(),
				instance.getPort(), instance.isSecure(), instance.getStatus(), instance.getWeight(),
				instance.getRegisteredMetadata());
		try {
			return Mapper.INSTANCE.writeValueAsBytes(document);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Could not encode " + instance, ex);
		}
	}

	@Override
	public EtcdServiceInstance decode(String serviceId, String instanceId, byte[] value) {
		if (value.length == 0) {
			throw new MalformedInstanceException("the value is empty, not an instance document");
		}
		Document document;
		try {
			JsonNode node = Mapper.INSTANCE.readTree(value);
			if (!node.isObject()) {
				throw new MalformedInstanceException("the value is a JSON "
						+ node.getNodeType().name().toLowerCase(Locale.ROOT) + ", not an object");
			}
			document = Mapper.INSTANCE.treeToValue(node, Document.class);
		}
		catch (JsonProcessingException ex) {
			throw new MalformedInstanceException(
					"not a JSON instance document ("
							+ ex.getOriginalMessage() + ((ex.getLocation() != null) ? " at line "
									+ ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr() : "")
							+ ")",
					ex);
		}
		catch (IOException ex) {
			throw new MalformedInstanceException("unreadable value: " + ex.getMessage(), ex);
		}
		if (!StringUtils.hasText(document.host())) {
			throw new MalformedInstanceException("'host' is missing");
		}
		if (document.port() == null || document.port() < 1 || document.port() > 65535) {
			throw new MalformedInstanceException("'port' must be between 1 and 65535, was " + document.port());
		}
		int weight = (document.weight() != null) ? document.weight() : 1;
		if (weight < 1) {
			throw new MalformedInstanceException("'weight' must be positive, was " + weight);
		}
		String status = StringUtils.hasText(document.status()) ? document.status() : InstanceStatus.UP;
		boolean secure = document.secure() != null && document.secure();
		Map<String, String> metadata = (document.metadata() != null) ? document.metadata() : Map.of();
		metadata.forEach((name, entry) -> {
			if (entry == null) {
				throw new MalformedInstanceException("'metadata' entry '" + name + "' is null");
			}
		});
		return new EtcdServiceInstance(serviceId, instanceId, document.host(), document.port(), secure, status, weight,
				metadata);
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonPropertyOrder({ "id", "name", "host", "port", "secure", "status", "weight", "metadata" })
	record Document(@Nullable String id, @Nullable String name, @Nullable String host, @Nullable Integer port,
			@Nullable Boolean secure, @Nullable String status, @Nullable Integer weight,
			@Nullable Map<String, @Nullable String> metadata) {
	}

}
