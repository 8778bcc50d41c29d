package io.github.etcdspring.format;

import java.util.List;

import io.etcd.jetcd.ByteSequence;
import io.github.etcdspring.watch.KeyRange;
import org.jspecify.annotations.Nullable;

/**
 * Where the instances of a registry format live in etcd, under {@code etcd.namespace}:
 * the key ranges to read, how a key names its service and instance, and the key an
 * instance is written under. The starter's own layout is {@link NativeKeyLayout}; the
 * layouts of the Go registries are in {@code io.github.etcdspring.format.polyglot}.
 * <p>
 * A range may hold more than the format's keys: some layouts over-match by prefix (Gone
 * keeps its keys at the root, named {@code {name}-{ip}:{port}}, so the range of service
 * {@code user} also holds {@code user-center}'s keys). Readers therefore keep only the
 * keys that {@link #parse(ByteSequence) parse} into the service they read, and the
 * {@link ServiceInstanceCodec} rejects a value that names another service than its key.
 *
 * @author etcd-spring-boot contributors
 */
public interface RegistryKeyLayout {

	/**
	 * The key ranges holding every instance of the format, to read and watch the whole
	 * catalogue. The empty prefix stands for the whole keyspace.
	 * @return the ranges, at least one
	 */
	List<KeyRange> catalogRanges();

	/**
	 * The key range holding the instances of one service. It may hold other keys too.
	 * @param serviceId the service
	 * @return the range
	 * @throws IllegalArgumentException when the service id cannot be part of a key of
	 * this layout
	 */
	KeyRange serviceRange(String serviceId);

	/**
	 * Read a key.
	 * @param key a key of one of the ranges
	 * @return the service and instance ids it names, or {@code null} when it is not an
	 * instance key of this layout
	 */
	@Nullable InstanceKey parse(ByteSequence key);

	/**
	 * The key an instance is written under.
	 * @param instance the instance
	 * @param leaseId the lease the key is written with (go-zero names keys after it)
	 * @return the key, which {@link #parse(ByteSequence)} reads back into the instance's
	 * service id
	 * @throws IllegalArgumentException when the instance cannot be written in this layout
	 */
	ByteSequence instanceKey(EtcdServiceInstance instance, long leaseId);

	/**
	 * The ids an instance key holds.
	 *
	 * @param serviceId the service id
	 * @param instanceId the instance id
	 */
	record InstanceKey(String serviceId, String instanceId) {
	}

}
