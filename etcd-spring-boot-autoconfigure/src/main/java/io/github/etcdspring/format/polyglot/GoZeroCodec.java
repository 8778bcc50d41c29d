package io.github.etcdspring.format.polyglot;

import java.util.Map;

import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.ServiceInstanceCodec;

/**
 * go-zero's value ({@code core/discov}): the plain dial address {@code host:port}, no
 * JSON and no trailing newline. The weight is 1.
 *
 * @author etcd-spring-boot contributors
 */
final class GoZeroCodec implements ServiceInstanceCodec {

	static final String NAME = "go-zero";

	@Override
	public byte[] encode(EtcdServiceInstance instance) {
		return ForeignValues.utf8Bytes(new HostPort(instance.getHost(), instance.getPort()).joined());
	}

	@Override
	public EtcdServiceInstance decode(String serviceId, String instanceId, byte[] value) {
		return ForeignValues.decode(NAME, value, () -> ForeignValues.instance(NAME, serviceId, instanceId,
				HostPort.parse(ForeignValues.utf8(value), "the address"), false, true, 1, Map.of()));
	}

}
