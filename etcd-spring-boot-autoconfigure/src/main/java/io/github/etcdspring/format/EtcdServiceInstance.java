package io.github.etcdspring.format;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.ServiceInstance;

/**
 * A service instance as stored in the etcd registry. Its metadata carries the
 * {@code weight} (and the {@code zone} when the instance declares one) under the keys
 * that Spring Cloud LoadBalancer's {@code weighted} and {@code zone-preference}
 * configurations read.
 *
 * @author etcd-spring-boot contributors
 */
public final class EtcdServiceInstance implements ServiceInstance {

	/** Metadata key of the weight, as read by Spring Cloud LoadBalancer. */
	public static final String WEIGHT_METADATA_KEY = "weight";

	/**
	 * Metadata key naming the registry format an instance was read from, e.g.
	 * {@code native} or {@code kitex}.
	 */
	public static final String FORMAT_METADATA_KEY = "etcd.format";

	private final String serviceId;

	private final String instanceId;

	private final String host;

	private final int port;

	private final boolean secure;

	private final String status;

	private final int weight;

	private final Map<String, String> metadata;

	/**
	 * Weights as metadata values, shared by every instance of a small weight.
	 */
	private static final String[] SMALL_WEIGHTS = IntStream.rangeClosed(0, 100)
		.mapToObj(Integer::toString)
		.toArray(String[]::new);

	public EtcdServiceInstance(String serviceId, String instanceId, String host, int port, boolean secure,
			String status, int weight, Map<String, String> metadata) {
		this.serviceId = Objects.requireNonNull(serviceId, "serviceId");
		this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
		this.host = Objects.requireNonNull(host, "host");
		this.port = port;
		this.secure = secure;
		this.status = InstanceStatus.canonical(Objects.requireNonNull(status, "status"));
		this.weight = weight;
		Map<String, String> withWeight = new LinkedHashMap<>(metadata);
		withWeight.put(WEIGHT_METADATA_KEY, weightValue(weight));
		this.metadata = Map.copyOf(withWeight);
	}

	/**
	 * A copy of an instance with equal values that other instances share.
	 * @param source the instance
	 * @param serviceId a string equal to its service id
	 * @param metadata a map equal to its metadata
	 */
	EtcdServiceInstance(EtcdServiceInstance source, String serviceId, Map<String, String> metadata) {
		this.serviceId = serviceId;
		this.instanceId = source.instanceId;
		this.host = source.host;
		this.port = source.port;
		this.secure = source.secure;
		this.status = source.status;
		this.weight = source.weight;
		this.metadata = metadata;
	}

	static String weightValue(int weight) {
		return (weight >= 0 && weight < SMALL_WEIGHTS.length) ? SMALL_WEIGHTS[weight] : Integer.toString(weight);
	}

	@Override
	public String getServiceId() {
		return this.serviceId;
	}

	@Override
	public String getInstanceId() {
		return this.instanceId;
	}

	@Override
	public String getHost() {
		return this.host;
	}

	@Override
	public int getPort() {
		return this.port;
	}

	@Override
	public boolean isSecure() {
		return this.secure;
	}

	@Override
	public URI getUri() {
		return ServiceInstance.createUri(this);
	}

	@Override
	public String getScheme() {
		return this.secure ? "https" : "http";
	}

	/**
	 * The registration status: {@code UP}, {@code DOWN}, {@code OUT_OF_SERVICE} or
	 * {@code STARTING}.
	 * @return the status
	 */
	public String getStatus() {
		return this.status;
	}

	public boolean isUp() {
		return InstanceStatus.UP.equals(this.status);
	}

	public int getWeight() {
		return this.weight;
	}

	/**
	 * The metadata, including the {@value #WEIGHT_METADATA_KEY} entry.
	 * @return an unmodifiable map
	 */
	@Override
	public Map<String, String> getMetadata() {
		return this.metadata;
	}

	/**
	 * The metadata the instance was registered with, without the entries this class adds.
	 * @return an unmodifiable map
	 */
	public Map<String, String> getRegisteredMetadata() {
		Map<String, String> registered = new LinkedHashMap<>(this.metadata);
		registered.remove(WEIGHT_METADATA_KEY);
		return registered;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof EtcdServiceInstance that)) {
			return false;
		}
		return this.port == that.port && this.secure == that.secure && this.weight == that.weight
				&& this.serviceId.equals(that.serviceId) && this.instanceId.equals(that.instanceId)
				&& this.host.equals(that.host) && this.status.equals(that.status)
				&& this.metadata.equals(that.metadata);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.serviceId, this.instanceId, this.host, this.port, this.secure, this.status,
				this.weight, this.metadata);
	}

	@Override
	public String toString() {
		return this.serviceId + "/" + this.instanceId + "[" + getScheme() + "://" + this.host + ":" + this.port + ", "
				+ this.status + ", weight " + this.weight + ", metadata " + getRegisteredMetadata() + "]";
	}

}
