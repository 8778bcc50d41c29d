package io.github.etcdspring.grpc;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;

import io.github.etcdspring.format.EtcdServiceInstance;
import io.grpc.EquivalentAddressGroup;
import io.grpc.Status;
import io.grpc.StatusOr;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceAddressesTests {

	private static final EtcdTarget ORDERS = new EtcdTarget("orders-grpc");

	@Test
	void eachInstanceIsOneAddressGroupCarryingTheInstance() {
		EtcdServiceInstance a = instance("a", "127.0.0.1", 9001, Map.of());
		EtcdServiceInstance b = instance("b", "::1", 9002, Map.of());
		List<EquivalentAddressGroup> groups = InstanceAddresses.of(ORDERS, List.of(a, b)).getValue();
		assertThat(groups).extracting(InstanceAddressesTests::address)
			.containsExactly(new InetSocketAddress("127.0.0.1", 9001), new InetSocketAddress("::1", 9002));
		assertThat(groups.get(0).getAttributes().get(EtcdNameResolverProvider.SERVICE_INSTANCE)).isSameAs(a);
	}

	@Test
	void theGrpcPortMetadataWinsOverThePort() {
		EtcdServiceInstance kratos = instance("k", "127.0.0.1", 8000, Map.of("grpc.port", "9000"));
		assertThat(address(InstanceAddresses.of(ORDERS, List.of(kratos)).getValue().get(0)))
			.isEqualTo(new InetSocketAddress("127.0.0.1", 9000));
	}

	@Test
	void anInvalidGrpcPortMetadataIsIgnored() {
		for (String grpcPort : List.of("", "x", "0", "70000")) {
			EtcdServiceInstance instance = instance("i", "127.0.0.1", 8000, Map.of("grpc.port", grpcPort));
			assertThat(address(InstanceAddresses.of(ORDERS, List.of(instance)).getValue().get(0))).as(grpcPort)
				.isEqualTo(new InetSocketAddress("127.0.0.1", 8000));
		}
	}

	@Test
	void noInstanceIsUnavailableNamingTheService() {
		StatusOr<List<EquivalentAddressGroup>> result = InstanceAddresses.of(ORDERS, List.of());
		assertThat(result.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(result.getStatus().getDescription())
			.isEqualTo("no instance of 'orders-grpc' in the etcd service registry (etcd:///orders-grpc)");
	}

	@Test
	void anUnreadRegistryIsUnavailableSayingSo() {
		assertThat(InstanceAddresses.of(ORDERS, null).getStatus().getDescription())
			.startsWith("the etcd service registry has not been read yet");
	}

	@Test
	void unusableInstancesAreLeftOutAndNamedWhenNoneIsLeft() {
		EtcdServiceInstance portless = instance("portless", "127.0.0.1", 0, Map.of());
		EtcdServiceInstance good = instance("good", "127.0.0.1", 9001, Map.of());
		assertThat(InstanceAddresses.of(ORDERS, List.of(portless, good)).getValue()).hasSize(1);
		assertThat(InstanceAddresses.of(ORDERS, List.of(portless)).getStatus().getDescription())
			.endsWith("; unusable: [portless: invalid port 0]");
	}

	private static SocketAddress address(EquivalentAddressGroup group) {
		assertThat(group.getAddresses()).hasSize(1);
		return group.getAddresses().get(0);
	}

	private static EtcdServiceInstance instance(String id, String host, int port, Map<String, String> metadata) {
		return new EtcdServiceInstance("orders-grpc", id, host, port, false, "UP", 1, metadata);
	}

}
