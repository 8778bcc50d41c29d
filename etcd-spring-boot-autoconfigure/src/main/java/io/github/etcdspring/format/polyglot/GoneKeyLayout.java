package io.github.etcdspring.format.polyglot;

import io.github.etcdspring.format.EtcdServiceInstance;
import org.jspecify.annotations.Nullable;

/**
 * Gone's layout: {@code [{prefix}/]{name}-{ip}:{port}}, at the root of the keyspace by
 * default. The instance id is the whole key after the prefix (Gone's
 * {@code GetServiceId}); the service is what precedes the last '-' before the port, which
 * is exact for the IP addresses Gone registers (they hold no '-') whatever '-' the name
 * holds. The range of service {@code user} is {@code user-}, which over-matches
 * {@code user-center-...}: those keys parse into their own service and the codec checks
 * the name in the value.
 *
 * @author etcd-spring-boot contributors
 */
final class GoneKeyLayout extends ForeignKeyLayout {

	/**
	 * Create a layout.
	 * @param prefix the prefix, checked; empty for the root
	 */
	GoneKeyLayout(String prefix) {
		super(checkPrefix(prefix).isEmpty() ? "" : prefix + "/");
	}

	@Override
	String serviceKeysStart(String serviceId) {
		return serviceId + "-";
	}

	@Override
	@Nullable InstanceKey parseRest(String rest) {
		int colon = rest.lastIndexOf(':');
		int dash = (colon > 0) ? rest.lastIndexOf('-', colon) : -1;
		if (dash <= 0 || dash == colon - 1 || rest.indexOf('/') >= 0 || !isPort(rest.substring(colon + 1))) {
			return null;
		}
		return new InstanceKey(rest.substring(0, dash), rest);
	}

	@Override
	String rest(EtcdServiceInstance instance, long leaseId) {
		return instanceId(instance.getServiceId(), instance.getHost(), instance.getPort());
	}

	/**
	 * Gone's {@code GetServiceId}: {@code fmt.Sprintf("%s-%s:%d", name, ip, port)}.
	 * @param name the service name
	 * @param ip the address
	 * @param port the port
	 * @return the id
	 */
	static String instanceId(String name, String ip, long port) {
		return name + "-" + ip + ":" + port;
	}

	private static boolean isPort(String text) {
		return !text.isEmpty() && text.length() <= 5 && text.chars().allMatch((c) -> c >= '0' && c <= '9');
	}

}
