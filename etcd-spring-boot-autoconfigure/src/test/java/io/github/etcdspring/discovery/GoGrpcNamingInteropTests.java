package io.github.etcdspring.discovery;

import java.time.Duration;

import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.format.EtcdRegistryFormatAutoConfiguration;
import io.github.etcdspring.registry.RegistryTestApplication;
import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code grpc-naming} format against etcd's own gRPC naming code: a Go program
 * ({@link GoGrpcNaming}) registers what discovery reads, and watches what the registry
 * publishes.
 */
class GoGrpcNamingInteropTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final GoGrpcNaming go = new GoGrpcNaming(etcd);

	private final ApplicationContextRunner discovery = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdAutoConfiguration.class,
				EtcdRegistryFormatAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class,
				SimpleDiscoveryClientAutoConfiguration.class, CompositeDiscoveryClientAutoConfiguration.class,
				UtilAutoConfiguration.class))
		.withPropertyValues(etcd.springProperties())
		.withPropertyValues("etcd.discovery.formats=native,grpc-naming");

	@AfterEach
	void destroyGoProcesses() throws InterruptedException {
		this.go.close();
	}

	@Test
	void anEndpointThatGoRegistersIsDiscoveredUnderItsTargetAndGoesWithItsLeaseWhenGoIsKilled() {
		this.discovery.run((context) -> {
			DiscoveryClient client = context.getBean(DiscoveryClient.class);
			Process registrant = this.go.register("orders", "127.0.0.1:9000", 2);
			await().atMost(BOUND)
				.untilAsserted(() -> assertThat(client.getInstances("orders"))
					.as(() -> "Go printed: " + this.go.output(registrant))
					.singleElement()
					.satisfies((instance) -> {
						assertThat(instance.getHost()).isEqualTo("127.0.0.1");
						assertThat(instance.getPort()).isEqualTo(9000);
						assertThat(instance.getMetadata()).containsEntry("etcd.format", "grpc-naming");
					}));
			registrant.destroyForcibly().waitFor();
			await().atMost(BOUND).untilAsserted(() -> assertThat(client.getInstances("orders")).isEmpty());
		});
	}

	@Test
	void anApplicationPublishingInGrpcNamingIsAddedToGosWatcherAndDeletedWhenItCloses() {
		Process watcher = this.go.watch("echo");
		await().atMost(BOUND).untilAsserted(() -> assertThat(this.go.output(watcher)).contains("WATCHING echo"));
		ConfigurableApplicationContext application = RegistryTestApplication.start(etcd, "service.name=echo",
				"service.port=8080", "service.formats=native,grpc-naming");
		try {
			await().atMost(BOUND)
				.untilAsserted(() -> assertThat(this.go.output(watcher)).contains("ADD 127.0.0.1:8080"));
		}
		finally {
			application.close();
		}
		await().atMost(BOUND)
			.untilAsserted(() -> assertThat(this.go.output(watcher)).contains("DELETE 127.0.0.1:8080"));
	}

}
