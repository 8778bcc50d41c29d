package io.github.etcdspring.grpc;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.discovery.EtcdDiscoveryAutoConfiguration;
import io.github.etcdspring.format.EtcdRegistryFormatAutoConfiguration;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.JsonServiceInstanceCodec;
import io.github.etcdspring.format.NativeKeyLayout;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.TcpProxy;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;

import static io.github.etcdspring.test.EtcdKeys.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Resolution before the application could read the registry: calls fail saying so, then
 * reach the service once the registry is read.
 */
class EtcdGrpcNameResolutionFaultTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdAutoConfiguration.class,
				EtcdRegistryFormatAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class,
				UtilAutoConfiguration.class, EtcdGrpcAutoConfiguration.class))
		.withPropertyValues(etcd.springProperties());

	@Test
	void callsWaitForTheFirstReadOfTheRegistryThenReachTheGrpcPortOfTheInstance() throws Exception {
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0)); EchoServer server = EchoServer.start("late")) {
			// registered at an HTTP port, serving gRPC at the port of its grpc.port
			// metadata, as a Kratos instance is read
			register(etcd.client(), new EtcdServiceInstance("late", "late-1", "127.0.0.1", 1, false, "UP", 1,
					Map.of("grpc.port", Integer.toString(server.port()))));
			proxy.cut();
			this.contextRunner
				.withPropertyValues("etcd.endpoints=" + proxy.endpoint(), "etcd.fail-fast=false",
						"etcd.request-timeout=1s", "etcd.retry.delay=200ms", "etcd.retry.max-delay=1s")
				.run((context) -> {
					ManagedChannel channel = ManagedChannelBuilder.forTarget("etcd:///late").usePlaintext().build();
					try {
						StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class,
								() -> EchoServer.who(channel));
						assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
						assertThat(failure.getStatus().getDescription())
							.startsWith("the etcd service registry has not been read yet");
						proxy.restore();
						await().atMost(Duration.ofSeconds(30))
							.ignoreException(StatusRuntimeException.class)
							.until(() -> EchoServer.who(channel).equals("late"));
					}
					finally {
						channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
					}
				});
		}
	}

	private static void register(Client writer, EtcdServiceInstance instance) {
		long lease = await(writer.getLeaseClient().grant(60)).getID();
		await(writer.getKVClient()
			.put(new NativeKeyLayout("services").instanceKey(instance.getServiceId(), instance.getInstanceId()),
					ByteSequence.from(new JsonServiceInstanceCodec().encode(instance)),
					PutOption.builder().withLeaseId(lease).build()));
	}

}
