package io.github.etcdspring.discovery;

import java.time.Duration;

import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.format.EtcdRegistryFormatAutoConfiguration;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.CommonsClientAutoConfiguration;
import org.springframework.cloud.client.ReactiveCommonsClientAutoConfiguration;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.event.InstanceRegisteredEvent;
import org.springframework.cloud.client.discovery.health.reactive.ReactiveDiscoveryClientHealthIndicator;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClientAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;

import static io.github.etcdspring.discovery.CatalogFixture.instance;
import static io.github.etcdspring.discovery.CatalogFixture.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EtcdDiscoveryClientsTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdAutoConfiguration.class,
				EtcdRegistryFormatAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class,
				EtcdReactiveDiscoveryAutoConfiguration.class, SimpleDiscoveryClientAutoConfiguration.class,
				SimpleReactiveDiscoveryClientAutoConfiguration.class, CompositeDiscoveryClientAutoConfiguration.class,
				CommonsClientAutoConfiguration.class, ReactiveCommonsClientAutoConfiguration.class,
				UtilAutoConfiguration.class))
		.withPropertyValues(etcd.springProperties());

	@Test
	void blockingAndReactiveClientsAnswerFromTheRegistry() {
		register(etcd.client(), instance("clients", "a", 1, "UP"));
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(EtcdDiscoveryClient.class)
				.hasSingleBean(EtcdReactiveDiscoveryClient.class);
			DiscoveryClient blocking = context.getBean(DiscoveryClient.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> blocking.getInstances("clients").size() == 1);
			assertThat(blocking.getServices()).contains("clients");
			blocking.probe();
			ReactiveDiscoveryClient reactive = context.getBean(EtcdReactiveDiscoveryClient.class);
			StepVerifier.create(reactive.getInstances("clients").map((i) -> i.getInstanceId()))
				.expectNext("a")
				.verifyComplete();
			StepVerifier.create(reactive.reactiveProbe()).verifyComplete();
			context.publishEvent(new InstanceRegisteredEvent<>(this, null));
			assertThat(context
				.getBean("etcdReactiveDiscoveryClientHealthIndicator", ReactiveDiscoveryClientHealthIndicator.class)
				.health()
				.block()
				.getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void probesFailWhileEtcdIsUnreachableAndTheReactiveClientSaysSo() {
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0))) {
			this.contextRunner
				.withPropertyValues("etcd.endpoints=" + proxy.endpoint(), "etcd.request-timeout=1s",
						"spring.cloud.discovery.client.health-indicator.use-services-query=false")
				.run((context) -> {
					context.publishEvent(new InstanceRegisteredEvent<>(this, null));
					proxy.cut();
					assertThatThrownBy(() -> context.getBean(EtcdDiscoveryClient.class).probe())
						.hasMessageContaining("etcd");
					StepVerifier.create(context.getBean(EtcdReactiveDiscoveryClient.class).reactiveProbe())
						.expectError()
						.verify(Duration.ofSeconds(30));
					assertThat(context
						.getBean("etcdReactiveDiscoveryClientHealthIndicator",
								ReactiveDiscoveryClientHealthIndicator.class)
						.health()
						.block()
						.getStatus()).isEqualTo(Status.DOWN);
					assertThat(context.getBean(EtcdDiscoveryClient.class).getInstances("anything"))
						.as("served from memory meanwhile")
						.isEmpty();
				});
		}
	}

	@Test
	void discoveryCanBeSwitchedOff() {
		this.contextRunner.withPropertyValues("spring.cloud.discovery.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdServiceCatalog.class));
		this.contextRunner.withPropertyValues("etcd.discovery.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdServiceCatalog.class));
		this.contextRunner.withPropertyValues("spring.cloud.discovery.blocking.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(EtcdDiscoveryClient.class);
			assertThat(context).hasSingleBean(EtcdReactiveDiscoveryClient.class);
		});
		this.contextRunner.withPropertyValues("spring.cloud.discovery.reactive.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdReactiveDiscoveryClient.class)
				.hasSingleBean(EtcdDiscoveryClient.class));
	}

}
