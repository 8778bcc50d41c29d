package io.github.etcdspring.grpc;

import java.net.URI;

import io.github.etcdspring.discovery.EtcdServiceCatalog;
import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.ServiceInstance;

/**
 * Resolves gRPC targets {@code etcd:///{service}} from the application's
 * {@link EtcdServiceCatalog}: the instances that discovery returns for the service, in
 * any format the catalog reads, followed live. {@link EtcdNameResolverRegistration}
 * registers it with gRPC.
 * <p>
 * Each instance is one {@link EquivalentAddressGroup} carrying the instance as
 * {@link #SERVICE_INSTANCE}. Choose the load-balancing policy on the channel, e.g.
 * {@code defaultLoadBalancingPolicy("round_robin")}; gRPC's default, {@code pick_first},
 * sends every call to one instance.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdNameResolverProvider extends NameResolverProvider {

	/** The scheme of the targets. */
	public static final String SCHEME = "etcd";

	/**
	 * The instance an address comes from, among the attributes of its
	 * {@link EquivalentAddressGroup}, for load-balancing policies that use its metadata.
	 */
	public static final Attributes.Key<ServiceInstance> SERVICE_INSTANCE = Attributes.Key
		.create("io.github.etcdspring.grpc.serviceInstance");

	private final EtcdServiceCatalog catalog;

	public EtcdNameResolverProvider(EtcdServiceCatalog catalog) {
		this.catalog = catalog;
	}

	/**
	 * A resolver for an {@code etcd:///{service}} target.
	 * @param targetUri the target
	 * @param args what the channel provides
	 * @return the resolver, or {@code null} for another scheme
	 * @throws IllegalArgumentException when the target has an authority, a query, or no
	 * service
	 */
	@Override
	public @Nullable NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
		if (!SCHEME.equals(targetUri.getScheme())) {
			return null;
		}
		return new EtcdNameResolver(EtcdTarget.of(targetUri), this.catalog, args);
	}

	@Override
	public String getDefaultScheme() {
		return SCHEME;
	}

	@Override
	protected boolean isAvailable() {
		return true;
	}

	@Override
	protected int priority() {
		return 5;
	}

	@Override
	public String toString() {
		return "EtcdNameResolverProvider[" + SCHEME + "]";
	}

}
