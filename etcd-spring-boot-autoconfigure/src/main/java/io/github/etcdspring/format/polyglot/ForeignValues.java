package io.github.etcdspring.format.polyglot;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.InstanceStatus;
import io.github.etcdspring.format.MalformedInstanceException;

/**
 * What the codecs of the Go formats share at the parsing edge: the bound on a value's
 * size, the guard that turns any failure into a {@link MalformedInstanceException}, and
 * the instances they build, whose metadata names their format.
 *
 * @author etcd-spring-boot contributors
 */
final class ForeignValues {

	/** Metadata key naming the format an instance was read from, e.g. {@code kitex}. */
	static final String FORMAT_METADATA_KEY = EtcdServiceInstance.FORMAT_METADATA_KEY;

	/** The largest value read, far above any instance the Go registries write. */
	static final int MAX_VALUE_BYTES = 64 * 1024;

	private ForeignValues() {
	}

	/**
	 * Decode a value, turning every failure into a {@link MalformedInstanceException}
	 * that names the format.
	 * @param format the format's name
	 * @param value the value
	 * @param decoder decodes the value once its size is checked
	 * @return the instance
	 */
	static EtcdServiceInstance decode(String format, byte[] value, Supplier<EtcdServiceInstance> decoder) {
		if (value.length == 0) {
			throw new MalformedInstanceException("not a " + format + " instance: the value is empty");
		}
		if (value.length > MAX_VALUE_BYTES) {
			throw new MalformedInstanceException("not a " + format + " instance: the value has " + value.length
					+ " bytes, more than " + MAX_VALUE_BYTES);
		}
		try {
			return decoder.get();
		}
		catch (MalformedInstanceException ex) {
			throw new MalformedInstanceException("not a " + format + " instance: " + ex.getMessage(), ex);
		}
		catch (VirtualMachineError ex) {
			if (!(ex instanceof StackOverflowError)) {
				throw ex;
			}
			throw new MalformedInstanceException("not a " + format + " instance: the value nests too deeply", ex);
		}
		catch (RuntimeException | Error ex) {
			throw new MalformedInstanceException(
					"not a " + format + " instance: unreadable value (" + ex.getClass().getSimpleName() + ")", ex);
		}
	}

	/**
	 * Read a value as UTF-8 text.
	 * @param value the value
	 * @return the text
	 * @throws MalformedInstanceException when it is not UTF-8
	 */
	static String utf8(byte[] value) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(value))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new MalformedInstanceException("the value is not UTF-8 text", ex);
		}
	}

	static byte[] utf8Bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * An instance read in a format.
	 * @param format the format's name, recorded under {@value #FORMAT_METADATA_KEY}
	 * @param serviceId the service id, from the key
	 * @param instanceId the instance id, from the key
	 * @param address the address
	 * @param secure whether it is reached over TLS
	 * @param up whether it is healthy
	 * @param weight the weight, at least 1
	 * @param metadata the metadata read
	 * @return the instance
	 */
	static EtcdServiceInstance instance(String format, String serviceId, String instanceId, HostPort address,
			boolean secure, boolean up, int weight, Map<String, String> metadata) {
		Map<String, String> withFormat = new LinkedHashMap<>(metadata);
		withFormat.put(FORMAT_METADATA_KEY, format);
		return new EtcdServiceInstance(serviceId, instanceId, address.host(), address.port(), secure,
				up ? InstanceStatus.UP : InstanceStatus.DOWN, weight, withFormat);
	}

	/**
	 * The metadata of an instance to write, without the entries the starter adds.
	 * @param instance the instance
	 * @param written the entries the format writes elsewhere than in its metadata
	 * @return the metadata to write
	 */
	static Map<String, String> metadataToWrite(EtcdServiceInstance instance, String... written) {
		Map<String, String> metadata = new LinkedHashMap<>(instance.getRegisteredMetadata());
		metadata.remove(FORMAT_METADATA_KEY);
		for (String key : written) {
			metadata.remove(key);
		}
		return metadata;
	}

	/**
	 * Whether an instance is the application's gRPC registration
	 * ({@code service.grpc.*}), which says so in its metadata: {@code protocol=grpc}.
	 * @param instance the instance
	 * @return whether its port serves gRPC
	 */
	static boolean isGrpcRegistration(EtcdServiceInstance instance) {
		return "grpc".equals(instance.getRegisteredMetadata().get("protocol"));
	}

	/**
	 * Check that a value names the service of its key.
	 * @param named the service the value names
	 * @param serviceId the service the key names
	 */
	static void checkService(String named, String serviceId) {
		if (!named.equals(serviceId)) {
			throw new MalformedInstanceException(
					"the value names service " + Excerpt.of(named) + ", its key service " + Excerpt.of(serviceId));
		}
	}

}
