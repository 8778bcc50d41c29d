package io.github.etcdspring.format.polyglot;

import java.util.function.Function;

import io.github.etcdspring.format.EtcdServiceInstance;
import org.jspecify.annotations.Nullable;

/**
 * {@code {prefix}/{serviceId}/{instance}}: the layout of Kitex
 * ({@code kitex/registry-etcd/{svc}/{host:port}}), go-kit, go-core
 * ({@code /go-core/services/{name}/{id}}) and Kratos
 * ({@code /microservices/{name}/{id}}). The prefix is joined with '/' as the Go libraries
 * do, so an empty prefix makes keys start with '/' (Kitex's deprecated
 * {@code NewEtcdRegistryWithAuth}).
 *
 * @author etcd-spring-boot contributors
 */
final class DirectoryKeyLayout extends ForeignKeyLayout {

	private final Function<EtcdServiceInstance, String> instancePart;

	/**
	 * Create a layout.
	 * @param prefix the prefix, checked
	 * @param instancePart the last segment of an instance's key
	 */
	DirectoryKeyLayout(String prefix, Function<EtcdServiceInstance, String> instancePart) {
		super(checkPrefix(prefix) + "/");
		this.instancePart = instancePart;
	}

	@Override
	String serviceKeysStart(String serviceId) {
		return serviceId + "/";
	}

	@Override
	@Nullable InstanceKey parseRest(String rest) {
		int slash = rest.indexOf('/');
		if (slash <= 0 || slash == rest.length() - 1) {
			return null;
		}
		return new InstanceKey(rest.substring(0, slash), rest.substring(slash + 1));
	}

	@Override
	String rest(EtcdServiceInstance instance, long leaseId) {
		return instance.getServiceId() + "/" + this.instancePart.apply(instance);
	}

}
