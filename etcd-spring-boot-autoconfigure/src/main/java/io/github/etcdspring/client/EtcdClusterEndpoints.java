package io.github.etcdspring.client;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * The endpoints of the shared client when they follow the cluster's members
 * ({@code etcd.auto-sync-interval}). jetcd resolves the endpoints it was built with once
 * and for all, so the client is given instead a target of a scheme of its own, which this
 * provider resolves to the current endpoints; {@link #update} hands new ones to the
 * client's channel, which connects to the new members and lets go of the removed ones.
 * <p>
 * gRPC finds name resolvers in its default registry only, so the provider is registered
 * there under a scheme unique to this instance, and deregistered on {@link #close()}.
 *
 * @author etcd-spring-boot contributors
 */
final class EtcdClusterEndpoints extends NameResolverProvider implements AutoCloseable {

	private static final AtomicLong instances = new AtomicLong();

	private final String scheme = "etcd-cluster-" + instances.incrementAndGet();

	private final @Nullable String authority;

	private final Set<Resolver> resolvers = ConcurrentHashMap.newKeySet();

	private volatile List<URI> endpoints;

	/**
	 * Create and register the endpoints.
	 * @param endpoints the configured endpoints, each {@code scheme://host:port}
	 * @param authority the authority configured for the client ({@code etcd.authority}),
	 * or {@code null} to verify each member under its own host and port, as jetcd does
	 */
	EtcdClusterEndpoints(List<URI> endpoints, @Nullable String authority) {
		this.endpoints = List.copyOf(endpoints);
		this.authority = StringUtils.hasText(authority) ? authority : null;
		NameResolverRegistry.getDefaultRegistry().register(this);
	}

	/**
	 * The target to give jetcd's {@code ClientBuilder}.
	 * @return the target
	 */
	String target() {
		return this.scheme + ":///";
	}

	List<URI> current() {
		return this.endpoints;
	}

	/**
	 * Replace the endpoints: the client connects to them from now on.
	 * @param endpoints the new endpoints, not empty
	 */
	void update(List<URI> endpoints) {
		this.endpoints = List.copyOf(endpoints);
		this.resolvers.forEach(Resolver::publish);
	}

	@Override
	public void close() {
		NameResolverRegistry.getDefaultRegistry().deregister(this);
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
	public String getDefaultScheme() {
		return this.scheme;
	}

	@Override
	public @Nullable NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
		return this.scheme.equals(targetUri.getScheme()) ? new Resolver() : null;
	}

	private List<EquivalentAddressGroup> addressGroups() {
		return this.endpoints.stream().map(this::addressGroup).toList();
	}

	private EquivalentAddressGroup addressGroup(URI endpoint) {
		InetSocketAddress address = new InetSocketAddress(endpoint.getHost(), endpoint.getPort());
		if (this.authority != null) {
			return new EquivalentAddressGroup(address);
		}
		return new EquivalentAddressGroup(address,
				Attributes.newBuilder()
					.set(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE, endpoint.getHost() + ":" + endpoint.getPort())
					.build());
	}

	/**
	 * One resolver per channel (gRPC makes a new one when an idle channel wakes up).
	 */
	private final class Resolver extends NameResolver {

		private volatile @Nullable Listener2 listener;

		@Override
		public String getServiceAuthority() {
			return (EtcdClusterEndpoints.this.authority != null) ? EtcdClusterEndpoints.this.authority : "";
		}

		@Override
		public void start(Listener2 listener) {
			this.listener = listener;
			EtcdClusterEndpoints.this.resolvers.add(this);
			publish();
		}

		@Override
		public void refresh() {
			publish();
		}

		@Override
		public void shutdown() {
			EtcdClusterEndpoints.this.resolvers.remove(this);
			this.listener = null;
		}

		void publish() {
			Listener2 current = this.listener;
			if (current != null) {
				current.onResult(ResolutionResult.newBuilder().setAddresses(addressGroups()).build());
			}
		}

	}

}
