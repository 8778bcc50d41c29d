package io.github.etcdspring.format.polyglot;

import java.util.Map;
import java.util.Set;

import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.MalformedInstanceException;
import io.github.etcdspring.format.ServiceInstanceCodec;
import org.jspecify.annotations.Nullable;

/**
 * Kitex's value (kitex-contrib/registry-etcd {@code instanceInfo}):
 * {@code {"network":"tcp","address":"192.168.1.10:8888","weight":10,"tags":null}}. The
 * address comes from the value, not the key (whose IPv6 hosts have no brackets); a weight
 * of 0 or less, or none, is Kitex's default weight 10; the tags are the metadata.
 *
 * @author etcd-spring-boot contributors
 */
final class KitexCodec implements ServiceInstanceCodec {

	static final String NAME = "kitex";

	/** Kitex's {@code discovery.DefaultWeight}. */
	static final int DEFAULT_WEIGHT = 10;

	private static final Set<String> TCP = Set.of("tcp", "tcp4", "tcp6");

	@Override
	public byte[] encode(EtcdServiceInstance instance) {
		Map<String, String> tags = ForeignValues.metadataToWrite(instance);
		return new GoJsonWriter().string("network", "tcp")
			.string("address", new HostPort(instance.getHost(), instance.getPort()).joined())
			.number("weight", instance.getWeight())
			.map("tags", tags.isEmpty() ? null : tags)
			.toBytes();
	}

	@Override
	public EtcdServiceInstance decode(String serviceId, String instanceId, byte[] value) {
		return ForeignValues.decode(NAME, value, () -> {
			JsonFields fields = JsonFields.read(value);
			String network = fields.text("network");
			if (network != null && !network.isEmpty() && !TCP.contains(network)) {
				throw new MalformedInstanceException("network " + Excerpt.of(network) + " is not tcp");
			}
			HostPort address = HostPort.parse(fields.requiredText("address"), "'address'");
			return ForeignValues.instance(NAME, serviceId, instanceId, address, false, true,
					weight(fields.integer("weight")), fields.map("tags"));
		});
	}

	private static int weight(@Nullable Long weight) {
		if (weight == null || weight <= 0) {
			return DEFAULT_WEIGHT;
		}
		if (weight > Integer.MAX_VALUE) {
			throw new MalformedInstanceException("'weight' " + weight + " is too large");
		}
		return weight.intValue();
	}

}
