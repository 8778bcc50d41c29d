package io.github.etcdspring.grpc;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.etcdspring.discovery.EtcdServiceCatalog;
import io.github.etcdspring.registry.RegistryTestApplication;
import io.github.etcdspring.test.EtcdCluster;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * A real grpc-java client dialing {@code etcd:///...} reaches real gRPC servers that
 * registered themselves in etcd through {@code service.grpc.port}, and follows them as
 * they come and go.
 */
class EtcdGrpcNameResolutionTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private ConfigurableApplicationContext client;

	@BeforeEach
	void startTheClientApplication() {
		// first, so that its provider is the one gRPC uses
		this.client = RegistryTestApplication.start(etcd, "service.enabled=false");
	}

	@AfterEach
	void closeTheClientApplication() {
		this.client.close();
	}

	@Test
	void callsFollowTheServersAsTheyRegisterAndDeregister() throws Exception {
		try (EchoServer a = EchoServer.start("a"); EchoServer b = EchoServer.start("b")) {
			ConfigurableApplicationContext serverA = server("orders", a);
			awaitInstances("orders-grpc", 1);
			ManagedChannel channel = channel("etcd:///orders-grpc");
			try {
				assertThat(EchoServer.who(channel)).isEqualTo("a");
				try (ConfigurableApplicationContext serverB = server("orders", b)) {
					Set<String> answered = new HashSet<>();
					await().atMost(BOUND).until(() -> answered.add(EchoServer.who(channel)) && answered.size() == 2);
					serverA.close();
					await().atMost(BOUND).until(() -> whoAnswersTenCalls(channel).equals(Set.of("b")));
				}
			}
			finally {
				serverA.close();
				shutdown(channel);
			}
		}
	}

	@Test
	void theGrpcServiceNameCanBeChosen() throws Exception {
		try (EchoServer server = EchoServer.start("named");
				ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=billing",
						"service.port=" + server.port(), "service.grpc.port=" + server.port(),
						"service.grpc.name=billing-rpc")) {
			awaitInstances("billing-rpc", 1);
			ManagedChannel channel = channel("etcd:///billing-rpc");
			try {
				assertThat(EchoServer.who(channel)).isEqualTo("named");
			}
			finally {
				shutdown(channel);
			}
		}
	}

	@Test
	void anUnknownServiceFailsUnavailableNamingIt() throws InterruptedException {
		ManagedChannel channel = channel("etcd:///nobody-grpc");
		try {
			StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class,
					() -> EchoServer.who(channel));
			assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
			assertThat(failure.getStatus().getDescription())
				.contains("no instance of 'nobody-grpc' in the etcd service registry");
		}
		finally {
			shutdown(channel);
		}
	}

	@Test
	void aTargetWithAnAuthorityIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ManagedChannelBuilder.forTarget("etcd://10.0.0.1:2379/orders-grpc").build())
			.withStackTraceContaining("an authority ('10.0.0.1:2379') is not supported");
	}

	/**
	 * Wait until the client application knows the instances, so that its first call does
	 * not race the registration.
	 */
	private void awaitInstances(String service, int count) {
		EtcdServiceCatalog catalog = this.client.getBean(EtcdServiceCatalog.class);
		await().atMost(BOUND).until(() -> catalog.getInstances(service).size() == count);
	}

	private static ConfigurableApplicationContext server(String name, EchoServer server) {
		return RegistryTestApplication.start(etcd, "service.name=" + name, "service.port=" + server.port(),
				"service.grpc.port=" + server.port());
	}

	private static ManagedChannel channel(String target) {
		return ManagedChannelBuilder.forTarget(target).usePlaintext().defaultLoadBalancingPolicy("round_robin").build();
	}

	private static Set<String> whoAnswersTenCalls(ManagedChannel channel) {
		Set<String> answered = new HashSet<>();
		for (int i = 0; i < 10; i++) {
			answered.add(EchoServer.who(channel));
		}
		return answered;
	}

	private static void shutdown(ManagedChannel channel) throws InterruptedException {
		channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
	}

}
