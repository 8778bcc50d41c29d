package io.github.etcdspring.format.polyglot;

import java.util.Map;

import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.MalformedInstanceException;
import io.github.etcdspring.format.ServiceInstanceCodec;

/**
 * The value of etcd's gRPC naming ({@code client/v3/naming/endpoints}, its
 * {@code internal.Update} without JSON tags):
 * {@code {"Op":0,"Addr":"10.0.0.5:50051","Metadata":null}}. Only {@code Op} 0 (Add) is an
 * instance. {@code Metadata} is a Go {@code any}: the scalars of an object become the
 * metadata, anything else is ignored; written, it is {@code null} or a string map. The
 * weight is 1.
 *
 * @author etcd-spring-boot contributors
 */
final class GrpcNamingCodec implements ServiceInstanceCodec {

	static final String NAME = "grpc-naming";

	@Override
	public byte[] encode(EtcdServiceInstance instance) {
		Map<String, String> metadata = ForeignValues.metadataToWrite(instance);
		return new GoJsonWriter().number("Op", 0)
			.string("Addr", new HostPort(instance.getHost(), instance.getPort()).joined())
			.map("Metadata", metadata.isEmpty() ? null : metadata)
			.toBytes();
	}

	@Override
	public EtcdServiceInstance decode(String serviceId, String instanceId, byte[] value) {
		return ForeignValues.decode(NAME, value, () -> {
			JsonFields fields = JsonFields.read(value);
			Long op = fields.integer("Op");
			if (op != null && op != 0) {
				throw new MalformedInstanceException("'Op' is " + op + ", not 0 (Add)");
			}
			HostPort address = HostPort.parse(fields.requiredText("Addr"), "'Addr'");
			return ForeignValues.instance(NAME, serviceId, instanceId, address, false, true, 1,
					fields.anyMap("Metadata"));
		});
	}

}
