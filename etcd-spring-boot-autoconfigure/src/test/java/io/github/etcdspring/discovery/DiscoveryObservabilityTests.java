package io.github.etcdspring.discovery;

import java.time.Duration;
import java.util.Map;

import io.etcd.jetcd.options.CompactOption;
import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.endpoint.EtcdEndpoint;
import io.github.etcdspring.endpoint.EtcdEndpointAutoConfiguration;
import io.github.etcdspring.format.EtcdRegistryFormatAutoConfiguration;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.TcpProxy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.etcdspring.discovery.CatalogFixture.instance;
import static io.github.etcdspring.discovery.CatalogFixture.register;
import static io.github.etcdspring.discovery.CatalogFixture.remove;
import static io.github.etcdspring.test.EtcdKeys.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code discovery} part of the {@code etcd} endpoint and the meters of discovery and
 * of its watch, each against the event it shows or counts.
 */
class DiscoveryObservabilityTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdAutoConfiguration.class,
				EtcdRegistryFormatAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class,
				EtcdEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=etcd", "etcd.retry.delay=100ms",
				"etcd.retry.max-delay=500ms");

	@Test
	void theDiscoveryPartShowsServicesInstancesPerFormatTheRevisionAndTheLastEvent() {
		register(etcd.client(), instance("orders", "a", 1, "UP"));
		register(etcd.client(), instance("orders", "b", 2, "OUT_OF_SERVICE"));
		this.contextRunner.withPropertyValues(etcd.springProperties()).run((context) -> {
			EtcdServiceCatalog catalog = context.getBean(EtcdServiceCatalog.class);
			EtcdEndpoint endpoint = context.getBean(EtcdEndpoint.class);
			DiscoveryEndpointPart.Discovery read = (DiscoveryEndpointPart.Discovery) endpoint.part("discovery");
			assertThat(read.loaded()).isTrue();
			assertThat(read.formats()).containsExactly("native");
			assertThat(read.revision()).isEqualTo(revision());
			assertThat(read.instancesByFormat()).containsExactly(Map.entry("native", 2L));
			assertThat(read.services()).containsOnlyKeys("orders");
			assertThat(read.services().get("orders"))
				.isEqualTo(new DiscoveryEndpointPart.Service(2, 1, Map.of("native", 2L)));
			assertThat(read.lastEventTime()).as("read, nothing watched yet").isNull();
			assertThat(read.watch().lastResetReason()).isNull();

			register(etcd.client(), instance("payments", "c", 3, "UP"));
			await().atMost(BOUND).until(() -> catalog.getRevision() == revision());
			DiscoveryEndpointPart.Discovery watched = (DiscoveryEndpointPart.Discovery) endpoint.part("discovery");
			assertThat(watched.services()).containsOnlyKeys("orders", "payments");
			assertThat(watched.instancesByFormat()).containsExactly(Map.entry("native", 3L));
			assertThat(watched.revision()).isEqualTo(revision());
			assertThat(watched.lastEventTime()).isNotNull();
			assertThat(watched.watch().events()).isEqualTo(1);
		});
	}

	@Test
	void metersCountInstancesPerFormatAndTheEventsReconnectsAndResetsOfTheRegistryWatch() {
		register(etcd.client(), instance("orders", "a", 1, "UP"));
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0))) {
			this.contextRunner.withPropertyValues("etcd.endpoints=" + proxy.endpoint()).run((context) -> {
				EtcdServiceCatalog catalog = context.getBean(EtcdServiceCatalog.class);
				MeterRegistry meters = new SimpleMeterRegistry();
				context.getBean(DiscoveryMeters.class).bindTo(meters);
				assertThat(meters.get("etcd.discovery.instances").tag("format", "native").gauge().value()).isEqualTo(1);

				register(etcd.client(), instance("orders", "b", 2, "UP"));
				await().atMost(BOUND).until(() -> catalog.getInstances("orders").size() == 2);
				assertThat(events(meters)).isEqualTo(1);
				assertThat(meters.get("etcd.discovery.instances").tag("format", "native").gauge().value()).isEqualTo(2);

				proxy.cut();
				proxy.restore();
				await().atMost(BOUND).until(() -> reconnects(meters) == 1);
				assertThat(resets(meters, "compacted")).isZero();

				proxy.cut();
				remove(etcd.client(), "orders", "a");
				long revision = revision();
				await(etcd.client()
					.getKVClient()
					.compact(revision, CompactOption.builder().withCompactPhysical(true).build()));
				proxy.restore();
				await().atMost(BOUND).until(() -> catalog.getInstances("orders").size() == 1);
				assertThat(resets(meters, "compacted")).isEqualTo(1);
				assertThat(resets(meters, "broken")).isZero();
				assertThat(events(meters)).as("the removal was read again, not watched").isEqualTo(1);
				assertThat(meters.get("etcd.discovery.instances").tag("format", "native").gauge().value()).isEqualTo(1);
				DiscoveryEndpointPart.Watch watch = ((DiscoveryEndpointPart.Discovery) context
					.getBean(EtcdEndpoint.class)
					.part("discovery")).watch();
				assertThat(watch.lastResetReason()).isEqualTo("compacted");
				assertThat(watch.lastResetTime()).isNotNull();
				assertThat(watch.resetsByReason()).containsEntry("compacted", 1L);
			});
		}
	}

	private static double events(MeterRegistry meters) {
		return meters.get("etcd.watch.events").tag("watch", "registry").functionCounter().count();
	}

	private static double reconnects(MeterRegistry meters) {
		return meters.get("etcd.watch.reconnects").tag("watch", "registry").functionCounter().count();
	}

	private static double resets(MeterRegistry meters, String reason) {
		return meters.get("etcd.watch.resets").tag("watch", "registry").tag("reason", reason).functionCounter().count();
	}

	private static long revision() {
		return await(etcd.client().getKVClient().get(CatalogFixture.LAYOUT.registryPrefix())).getHeader().getRevision();
	}

}
