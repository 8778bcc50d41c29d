package io.github.etcdspring.format.polyglot;

import java.util.Map;

import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.MalformedInstanceException;
import io.github.etcdspring.format.ServiceInstanceCodec;

/**
 * go-kit's value (sd/etcdv3): an opaque instance string, read as
 * {@code http://1.2.3.4:8080}, {@code https://...} (secure), or {@code 1.2.3.4:8080}; a
 * path after the address is ignored. Written as {@code http://host:port} (or
 * {@code https://}), like go-kit's example, with no trailing newline. The weight is 1.
 *
 * @author etcd-spring-boot contributors
 */
final class GoKitCodec implements ServiceInstanceCodec {

	static final String NAME = "gokit";

	@Override
	public byte[] encode(EtcdServiceInstance instance) {
		String address = new HostPort(instance.getHost(), instance.getPort()).joined();
		// go-kit's gRPC transport dials a plain host:port
		return ForeignValues
			.utf8Bytes(ForeignValues.isGrpcRegistration(instance) ? address : instance.getScheme() + "://" + address);
	}

	@Override
	public EtcdServiceInstance decode(String serviceId, String instanceId, byte[] value) {
		return ForeignValues.decode(NAME, value, () -> {
			String text = ForeignValues.utf8(value);
			int scheme = text.indexOf("://");
			if (scheme < 0) {
				return ForeignValues.instance(NAME, serviceId, instanceId, HostPort.parse(text, "the instance string"),
						false, true, 1, Map.of());
			}
			String name = text.substring(0, scheme);
			if (!name.equals("http") && !name.equals("https")) {
				throw new MalformedInstanceException("scheme " + Excerpt.of(name) + " is not http or https");
			}
			HostPort address = HostPort.parseAuthority(text.substring(scheme + 3), "the instance string");
			return ForeignValues.instance(NAME, serviceId, instanceId, address, name.equals("https"), true, 1,
					Map.of());
		});
	}

}
