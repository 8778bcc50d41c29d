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
		return ForeignValues
			.utf8Bytes(instance.getScheme() + "://" + new HostPort(instance.getHost(), instance.getPort()).joined());
	}

	@Override
	public EtcdServiceInstance decode(String serviceId, String instanceId, byte[] value) {
		return ForeignValues.decode(NAME, value, () -> {
			String text = ForeignValues.utf8(value);
			boolean secure = false;
			int scheme = text.indexOf("://");
			if (scheme >= 0) {
				String name = text.substring(0, scheme);
				if (!name.equals("http") && !name.equals("https")) {
					throw new MalformedInstanceException("scheme " + Excerpt.of(name) + " is not http or https");
				}
				secure = name.equals("https");
				text = text.substring(scheme + 3);
				int path = text.indexOf('/');
				text = (path >= 0) ? text.substring(0, path) : text;
			}
			return ForeignValues.instance(NAME, serviceId, instanceId, HostPort.parse(text, "the instance string"),
					secure, true, 1, Map.of());
		});
	}

}
