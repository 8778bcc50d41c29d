package io.github.etcdspring.format;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.etcd.jetcd.ByteSequence;
import io.github.etcdspring.watch.KeyRange;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The starter's own layout: {@code {prefix}/{serviceId}/{instanceId}}, under
 * {@code etcd.namespace}. Service ids may not contain '/', instance ids may.
 *
 * @author etcd-spring-boot contributors
 */
public final class NativeKeyLayout implements RegistryKeyLayout {

	private final String prefix;

	/**
	 * Create a layout.
	 * @param prefix the registry prefix, e.g. {@code services}; leading and trailing '/'
	 * are ignored
	 */
	public NativeKeyLayout(String prefix) {
		String trimmed = trimSlashes(prefix);
		Assert.hasText(trimmed, "The registry prefix must not be empty");
		this.prefix = trimmed + "/";
	}

	/**
	 * The prefix of every instance key.
	 * @return the prefix, ending with '/'
	 */
	public ByteSequence registryPrefix() {
		return bytes(this.prefix);
	}

	/**
	 * The prefix of the keys of one service.
	 * @param serviceId the service
	 * @return the prefix, ending with '/'
	 */
	public ByteSequence servicePrefix(String serviceId) {
		return bytes(this.prefix + checkServiceId(serviceId) + "/");
	}

	@Override
	public List<KeyRange> catalogRanges() {
		return List.of(KeyRange.prefix(registryPrefix()));
	}

	@Override
	public KeyRange serviceRange(String serviceId) {
		return KeyRange.prefix(servicePrefix(serviceId));
	}

	@Override
	public ByteSequence instanceKey(EtcdServiceInstance instance, long leaseId) {
		return instanceKey(instance.getServiceId(), instance.getInstanceId());
	}

	/**
	 * The key of an instance.
	 * @param serviceId the service
	 * @param instanceId the instance
	 * @return {@code {prefix}/{serviceId}/{instanceId}}
	 */
	public ByteSequence instanceKey(String serviceId, String instanceId) {
		Assert.hasText(instanceId, "The instance id must not be empty");
		return bytes(this.prefix + checkServiceId(serviceId) + "/" + instanceId);
	}

	@Override
	public @Nullable InstanceKey parse(ByteSequence key) {
		String text = key.toString(StandardCharsets.UTF_8);
		if (!text.startsWith(this.prefix)) {
			return null;
		}
		String rest = text.substring(this.prefix.length());
		int slash = rest.indexOf('/');
		if (slash <= 0 || slash == rest.length() - 1) {
			return null;
		}
		return new InstanceKey(rest.substring(0, slash), rest.substring(slash + 1));
	}

	@Override
	public String toString() {
		return this.prefix;
	}

	private static String checkServiceId(String serviceId) {
		Assert.hasText(serviceId, "The service id must not be empty");
		Assert.isTrue(serviceId.indexOf('/') < 0, () -> "The service id must not contain '/': " + serviceId);
		return serviceId;
	}

	private static String trimSlashes(String value) {
		String trimmed = (value != null) ? value.trim() : "";
		while (trimmed.startsWith("/")) {
			trimmed = trimmed.substring(1);
		}
		while (trimmed.endsWith("/")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		return trimmed;
	}

	private static ByteSequence bytes(String value) {
		return ByteSequence.from(value, StandardCharsets.UTF_8);
	}

}
