package io.github.etcdspring.grpc;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.Status;
import io.grpc.StatusOr;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.ServiceInstance;

/**
 * The addresses gRPC connects to for the instances of a service: one
 * {@link EquivalentAddressGroup} per instance, at its host and at the port of its
 * {@value #GRPC_PORT} metadata when it has a valid one (a Kratos instance serving both
 * HTTP and gRPC), else at its port. Host names are resolved here, so call it off the
 * threads that must not block.
 *
 * @author etcd-spring-boot contributors
 */
final class InstanceAddresses {

	/** Metadata holding the gRPC port of an instance registered at another port. */
	static final String GRPC_PORT = "grpc.port";

	private InstanceAddresses() {
	}

	/**
	 * The addresses of the instances.
	 * @param target the target resolved, for the messages
	 * @param instances the instances, or {@code null} when the registry has not been read
	 * yet
	 * @return the addresses, or {@link Status#UNAVAILABLE} naming the service when there
	 * are none
	 */
	static StatusOr<List<EquivalentAddressGroup>> of(EtcdTarget target,
			@Nullable List<? extends ServiceInstance> instances) {
		if (instances == null) {
			return unavailable("the etcd service registry has not been read yet, so '" + target.serviceId()
					+ "' is not known (etcd:///" + target.serviceId() + ")");
		}
		List<EquivalentAddressGroup> addresses = new ArrayList<>(instances.size());
		List<String> failures = new ArrayList<>();
		for (ServiceInstance instance : instances) {
			try {
				addresses.add(new EquivalentAddressGroup(address(instance),
						Attributes.newBuilder().set(EtcdNameResolverProvider.SERVICE_INSTANCE, instance).build()));
			}
			catch (UnknownHostException | IllegalArgumentException ex) {
				failures.add(instance.getInstanceId() + ": " + ex.getMessage());
			}
		}
		if (addresses.isEmpty()) {
			return unavailable("no instance of '" + target.serviceId() + "' in the etcd service registry (etcd:///"
					+ target.serviceId() + ")" + (failures.isEmpty() ? "" : "; unusable: " + failures));
		}
		return StatusOr.fromValue(List.copyOf(addresses));
	}

	private static InetSocketAddress address(ServiceInstance instance) throws UnknownHostException {
		String host = instance.getHost();
		if (host == null || host.isBlank()) {
			throw new IllegalArgumentException("no host");
		}
		return new InetSocketAddress(InetAddress.getByName(host), port(instance));
	}

	private static int port(ServiceInstance instance) {
		Map<String, String> metadata = instance.getMetadata();
		String grpcPort = (metadata != null) ? metadata.get(GRPC_PORT) : null;
		if (grpcPort != null) {
			try {
				int port = Integer.parseInt(grpcPort.trim());
				if (port > 0 && port <= 65535) {
					return port;
				}
			}
			catch (NumberFormatException ex) {
				// not a port: the instance's own port
			}
		}
		int port = instance.getPort();
		if (port <= 0 || port > 65535) {
			throw new IllegalArgumentException("invalid port " + port);
		}
		return port;
	}

	private static StatusOr<List<EquivalentAddressGroup>> unavailable(String description) {
		return StatusOr.fromStatus(Status.UNAVAILABLE.withDescription(description));
	}

}
