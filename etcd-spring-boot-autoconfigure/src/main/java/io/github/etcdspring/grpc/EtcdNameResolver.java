package io.github.etcdspring.grpc;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import io.github.etcdspring.discovery.EtcdServiceCatalog;
import io.github.etcdspring.discovery.Subscription;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.ServiceInstance;

/**
 * Resolves one service from the {@link EtcdServiceCatalog} and follows it: the catalog
 * pushes the service's instances on every change, and each push becomes a resolution
 * result. A service without instances is reported as {@code UNAVAILABLE}, which fails
 * calls until an instance registers (grpc-java keeps connections that are already ready).
 * <p>
 * Instances come on the discovery thread; their addresses are made on gRPC's offload
 * executor (host names may need a DNS lookup) and handed to the channel in its
 * synchronization context, the latest change last.
 *
 * @author etcd-spring-boot contributors
 */
final class EtcdNameResolver extends NameResolver {

	private final EtcdTarget target;

	private final EtcdServiceCatalog catalog;

	private final SynchronizationContext syncContext;

	private final Executor offloadExecutor;

	private final AtomicLong resolutions = new AtomicLong();

	// In the synchronization context.
	private long lastDelivered;

	private @Nullable Listener2 listener;

	private @Nullable Subscription subscription;

	EtcdNameResolver(EtcdTarget target, EtcdServiceCatalog catalog, Args args) {
		this.target = target;
		this.catalog = catalog;
		this.syncContext = args.getSynchronizationContext();
		Executor offload = args.getOffloadExecutor();
		this.offloadExecutor = (offload != null) ? offload : Runnable::run;
	}

	@Override
	public String getServiceAuthority() {
		return this.target.authority();
	}

	@Override
	public void start(Listener2 listener) {
		this.listener = listener;
		this.subscription = this.catalog.watch(this.target.serviceId(), this::resolve);
		if (!this.catalog.isLoaded()) {
			// the catalog tells the service once read only if it has instances: gRPC
			// refreshes after this error until then
			resolve(null);
		}
	}

	/**
	 * Resolve again from the catalog's memory: gRPC asks after a failure.
	 */
	@Override
	public void refresh() {
		resolve(this.catalog.isLoaded() ? this.catalog.getInstances(this.target.serviceId()) : null);
	}

	@Override
	public void shutdown() {
		Subscription current = this.subscription;
		if (current != null) {
			current.close();
		}
		this.listener = null;
	}

	private void resolve(@Nullable List<ServiceInstance> instances) {
		long resolution = this.resolutions.incrementAndGet();
		this.offloadExecutor.execute(() -> {
			StatusOr<List<EquivalentAddressGroup>> addresses = InstanceAddresses.of(this.target, instances);
			this.syncContext.execute(() -> deliver(resolution, addresses));
		});
	}

	private void deliver(long resolution, StatusOr<List<EquivalentAddressGroup>> addresses) {
		Listener2 current = this.listener;
		if (current == null || resolution < this.lastDelivered) {
			return;
		}
		this.lastDelivered = resolution;
		current.onResult2(ResolutionResult.newBuilder().setAddressesOrError(addresses).build());
	}

	@Override
	public String toString() {
		return "EtcdNameResolver[etcd:///" + this.target.serviceId() + "]";
	}

}
