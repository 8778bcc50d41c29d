package io.github.etcdspring.format.polyglot;

import java.util.function.BiFunction;
import java.util.function.Predicate;

import io.github.etcdspring.format.EtcdServiceInstance;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * {@code [{prefix}/]{serviceId}/{id}}, whose service id may hold '/' and whose id is the
 * last segment: etcd's gRPC naming ({@code {target}/{addr}}, the target being a dial path
 * such as {@code foo/bar/my-service}) and go-zero ({@code {key}/{lease id}}). Both sit at
 * the root of the keyspace by default, so their catalogue range is the whole keyspace and
 * only keys whose last segment is a valid id are theirs.
 *
 * @author etcd-spring-boot contributors
 */
final class TrailingIdKeyLayout extends ForeignKeyLayout {

	private final Predicate<String> validId;

	private final BiFunction<EtcdServiceInstance, Long, String> idOfInstance;

	/**
	 * Create a layout.
	 * @param prefix the prefix, checked; empty for the root
	 * @param validId which last segments are ids
	 * @param idOfInstance the id of an instance to write, given its lease
	 */
	TrailingIdKeyLayout(String prefix, Predicate<String> validId,
			BiFunction<EtcdServiceInstance, Long, String> idOfInstance) {
		super(checkPrefix(prefix).isEmpty() ? "" : prefix + "/");
		this.validId = validId;
		this.idOfInstance = idOfInstance;
	}

	@Override
	String serviceKeysStart(String serviceId) {
		return serviceId + "/";
	}

	@Override
	@Nullable InstanceKey parseRest(String rest) {
		int slash = rest.lastIndexOf('/');
		if (slash <= 0) {
			return null;
		}
		String serviceId = rest.substring(0, slash);
		String id = rest.substring(slash + 1);
		if (!isServiceId(serviceId) || !this.validId.test(id)) {
			return null;
		}
		return new InstanceKey(serviceId, id);
	}

	@Override
	String rest(EtcdServiceInstance instance, long leaseId) {
		return instance.getServiceId() + "/" + this.idOfInstance.apply(instance, leaseId);
	}

	@Override
	String checkServiceId(String serviceId) {
		Assert.isTrue(isServiceId(serviceId),
				() -> "The service id must be non-empty '/'-separated segments: " + serviceId);
		return serviceId;
	}

	private static boolean isServiceId(String serviceId) {
		return !serviceId.isEmpty() && !serviceId.startsWith("/") && !serviceId.endsWith("/")
				&& !serviceId.contains("//");
	}

}
