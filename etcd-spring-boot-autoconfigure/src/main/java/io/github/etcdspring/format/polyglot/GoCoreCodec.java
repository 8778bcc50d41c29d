package io.github.etcdspring.format.polyglot;

import java.util.Map;

import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.ServiceInstanceCodec;

/**
 * go-core's value (its {@code Descriptor}):
 * {@code {"id":"billing-1","name":"billing","address":"10.0.0.7:9000","metadata":{"version":"1.4.2"}}},
 * {@code metadata} left out when empty ({@code omitempty}). A value that names another
 * service than its key is rejected; the instance id is the key's. The weight is 1.
 *
 * @author etcd-spring-boot contributors
 */
final class GoCoreCodec implements ServiceInstanceCodec {

	static final String NAME = "go-core";

	@Override
	public byte[] encode(EtcdServiceInstance instance) {
		Map<String, String> metadata = ForeignValues.metadataToWrite(instance);
		GoJsonWriter json = new GoJsonWriter().string("id", instance.getInstanceId())
			.string("name", instance.getServiceId())
			.string("address", new HostPort(instance.getHost(), instance.getPort()).joined());
		return (metadata.isEmpty() ? json : json.map("metadata", metadata)).toBytes();
	}

	@Override
	public EtcdServiceInstance decode(String serviceId, String instanceId, byte[] value) {
		return ForeignValues.decode(NAME, value, () -> {
			JsonFields fields = JsonFields.read(value);
			String name = fields.text("name");
			if (name != null) {
				ForeignValues.checkService(name, serviceId);
			}
			HostPort address = HostPort.parse(fields.requiredText("address"), "'address'");
			return ForeignValues.instance(NAME, serviceId, instanceId, address, false, true, 1, fields.map("metadata"));
		});
	}

}
