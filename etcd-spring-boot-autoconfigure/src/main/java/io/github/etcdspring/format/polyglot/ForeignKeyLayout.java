package io.github.etcdspring.format.polyglot;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.etcd.jetcd.ByteSequence;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.RegistryKeyLayout;
import io.github.etcdspring.watch.KeyRange;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A layout whose keys all start with one base, {@code {prefix}/} (or nothing for a format
 * at the root of the keyspace); subclasses read and write what follows it.
 *
 * @author etcd-spring-boot contributors
 */
abstract class ForeignKeyLayout implements RegistryKeyLayout {

	private final String base;

	/**
	 * Create a layout.
	 * @param base what every key starts with, maybe empty
	 */
	ForeignKeyLayout(String base) {
		this.base = base;
	}

	/**
	 * Check a format's prefix.
	 * @param prefix the prefix
	 * @return the prefix
	 * @throws IllegalArgumentException when keys could not be built on it
	 */
	static String checkPrefix(String prefix) {
		Assert.isTrue(!prefix.endsWith("/"), "The prefix must not end with '/' (one is added before the service)");
		Assert.isTrue(!prefix.contains("//"), "The prefix must not contain an empty segment ('//')");
		Assert.isTrue(prefix.chars().noneMatch((c) -> Character.isISOControl(c) || Character.isWhitespace(c)),
				"The prefix must not contain whitespace or control characters");
		return prefix;
	}

	@Override
	public List<KeyRange> catalogRanges() {
		return List.of(KeyRange.prefix(bytes(this.base)));
	}

	@Override
	public KeyRange serviceRange(String serviceId) {
		return KeyRange.prefix(bytes(this.base + serviceKeysStart(checkServiceId(serviceId))));
	}

	@Override
	public @Nullable InstanceKey parse(ByteSequence key) {
		String text = key.toString(StandardCharsets.UTF_8);
		return text.startsWith(this.base) ? parseRest(text.substring(this.base.length())) : null;
	}

	@Override
	public ByteSequence instanceKey(EtcdServiceInstance instance, long leaseId) {
		checkServiceId(instance.getServiceId());
		return bytes(this.base + rest(instance, leaseId));
	}

	/**
	 * What follows the base in the keys of one service.
	 * @param serviceId a valid service id
	 * @return the start of the rest of its keys
	 */
	abstract String serviceKeysStart(String serviceId);

	/**
	 * Read what follows the base in a key.
	 * @param rest the rest of the key
	 * @return the ids, or {@code null} when it is not an instance key
	 */
	abstract @Nullable InstanceKey parseRest(String rest);

	/**
	 * What follows the base in the key of an instance.
	 * @param instance the instance, of a valid service id
	 * @param leaseId the lease of the key
	 * @return the rest of its key
	 */
	abstract String rest(EtcdServiceInstance instance, long leaseId);

	/**
	 * Check a service id for this layout.
	 * @param serviceId the service id
	 * @return it
	 * @throws IllegalArgumentException when keys cannot hold it
	 */
	String checkServiceId(String serviceId) {
		Assert.hasText(serviceId, "The service id must not be empty");
		Assert.isTrue(serviceId.indexOf('/') < 0, () -> "The service id must not contain '/': " + serviceId);
		return serviceId;
	}

	@Override
	public String toString() {
		return this.base;
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

}
