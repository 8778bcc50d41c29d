package io.github.etcdspring.format.polyglot;

import java.util.Base64;
import java.util.Map;

import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.MalformedInstanceException;
import io.github.etcdspring.format.ServiceInstanceCodec;
import org.jspecify.annotations.Nullable;

/**
 * Gone's value (goner/etcd): standard base64 of the JSON
 * {@code {"name":"user-center","ip":"192.168.1.10","port":9090,"meta":{"grpc":"true"},"healthy":true,"weight":100}}.
 * The value must name the service of its key and hold the address the key names, which
 * filters out the keys of {@code user-center} from the range of {@code user}. An
 * unhealthy instance is {@code DOWN}.
 * <p>
 * Gone's weights are {@code float64} ({@code 100}, {@code 1.0}, {@code 0.5});
 * LoadBalancer's are whole numbers from 1. A weight is rounded half up to a whole number,
 * at least 1: {@code 100} stays 100, {@code 2.5} becomes 3, {@code 1.0}, {@code 0.5} and
 * {@code 0} become 1 (a fraction's ratio to 1 is lost). Gone's own servers write 100.
 * Written, a weight is its whole number, {@code 100} as Go writes it.
 *
 * @author etcd-spring-boot contributors
 */
final class GoneCodec implements ServiceInstanceCodec {

	static final String NAME = "gone";

	@Override
	public byte[] encode(EtcdServiceInstance instance) {
		Map<String, String> meta = ForeignValues.metadataToWrite(instance);
		byte[] json = new GoJsonWriter().string("name", instance.getServiceId())
			.string("ip", instance.getHost())
			.number("port", instance.getPort())
			.map("meta", meta.isEmpty() ? null : meta)
			.bool("healthy", instance.isUp())
			.float64("weight", instance.getWeight())
			.toBytes();
		return Base64.getEncoder().encode(json);
	}

	@Override
	public EtcdServiceInstance decode(String serviceId, String instanceId, byte[] value) {
		return ForeignValues.decode(NAME, value, () -> {
			byte[] json;
			try {
				json = Base64.getDecoder().decode(value);
			}
			catch (IllegalArgumentException ex) {
				throw new MalformedInstanceException("not base64 (" + ex.getMessage() + ")", ex);
			}
			JsonFields fields = JsonFields.read(json);
			String name = fields.requiredText("name");
			ForeignValues.checkService(name, serviceId);
			String ip = fields.requiredText("ip");
			Long port = fields.integer("port");
			if (port == null) {
				throw new MalformedInstanceException("'port' is missing");
			}
			HostPort address = HostPort.parse(ip + ":" + port, "'ip' and 'port'");
			if (!GoneKeyLayout.instanceId(name, ip, port).equals(instanceId)) {
				throw new MalformedInstanceException("the value's name, ip and port are not those of its key");
			}
			Boolean healthy = fields.bool("healthy");
			return ForeignValues.instance(NAME, serviceId, instanceId, address, false, healthy != null && healthy,
					weight(fields.number("weight")), fields.map("meta"));
		});
	}

	/**
	 * LoadBalancer's weight of a Gone weight.
	 * @param weight Gone's weight, {@code null} when missing
	 * @return the weight rounded half up, at least 1
	 */
	static int weight(@Nullable Double weight) {
		if (weight == null) {
			return 1;
		}
		if (weight < 0 || weight >= Integer.MAX_VALUE) {
			throw new MalformedInstanceException("'weight' " + weight + " is not between 0 and " + Integer.MAX_VALUE);
		}
		return (int) Math.max(1, Math.round(weight));
	}

}
