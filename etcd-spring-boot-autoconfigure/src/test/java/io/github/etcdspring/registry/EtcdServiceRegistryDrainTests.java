package io.github.etcdspring.registry;

import java.time.Duration;

import io.github.etcdspring.endpoint.EtcdEndpoint;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The drain actions of the {@code etcd} endpoint, seen by another application's
 * {@code DiscoveryClient} and LoadBalancer.
 */
class EtcdServiceRegistryDrainTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	/**
	 * Well within the 35 seconds that Spring Cloud LoadBalancer caches instances for: the
	 * catalog's watch evicts its cache.
	 */
	private static final Duration EVICTED = Duration.ofSeconds(15);

	private static final String KEY = "services/drained/127.0.0.1:8211";

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	@Test
	void aDrainedInstanceLeavesTheOtherApplicationsDiscoveryAndLoadBalancerUntilRegisteredAgain() {
		try (ConfigurableApplicationContext app = EtcdServiceRegistryOperationsTests.start(etcd, "service.name=drained",
				"service.port=8211");
				ConfigurableApplicationContext caller = RegistryTestApplication.start(etcd, "service.name=caller",
						"service.register=false")) {
			DiscoveryClient discovery = caller.getBean(DiscoveryClient.class);
			LoadBalancerClient loadBalancer = caller.getBean(LoadBalancerClient.class);
			await().atMost(BOUND).until(() -> discovery.getInstances("drained").size() == 1);
			assertThat(loadBalancer.choose("drained")).extracting(ServiceInstance::getPort).isEqualTo(8211);

			EtcdEndpoint endpoint = app.getBean(EtcdEndpoint.class);
			assertThat(endpoint.perform("deregister")).isEqualTo(new RegistryEndpointAction.Result(true, "DRAINED"));
			assertThat(EtcdKeys.get(etcd.client(), KEY)).as("deleted at once").isNull();
			await().atMost(BOUND).until(() -> discovery.getInstances("drained").isEmpty());
			await().atMost(EVICTED).until(() -> loadBalancer.choose("drained") == null);
			assertThat(endpoint.perform("deregister")).isEqualTo(new RegistryEndpointAction.Result(false, "DRAINED"));
			Health health = app.getBean(EtcdServiceRegistryHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("state", "DRAINED");
			assertThat(EtcdServiceRegistryOperationsTests.registrations(app)).singleElement()
				.satisfies((report) -> assertThat(report.state()).isEqualTo("DRAINED"))
				.satisfies((report) -> assertThat(report.leaseId()).isNull());

			assertThat(endpoint.perform("register")).isEqualTo(new RegistryEndpointAction.Result(true, "REGISTERED"));
			assertThat(EtcdKeys.get(etcd.client(), KEY)).isNotNull();
			await().atMost(BOUND).until(() -> discovery.getInstances("drained").size() == 1);
			await().atMost(EVICTED).until(() -> loadBalancer.choose("drained") != null);
			assertThat(loadBalancer.choose("drained").getPort()).isEqualTo(8211);
		}
	}

	/**
	 * The lease is revoked just before the drain, so that its loss and the restoration
	 * race the drain; whichever comes first, the instance stays out through three
	 * periodic checks, and a registration of it meanwhile only remembers it.
	 */
	@Test
	void aDrainedInstanceStaysOutThroughALostLeasePeriodicChecksAndAnotherRegister() {
		try (ConfigurableApplicationContext app = EtcdServiceRegistryOperationsTests.start(etcd, "service.name=drained",
				"service.port=8211", "service.retry.check-interval=500ms")) {
			EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
			EtcdKeys.await(etcd.client().getLeaseClient().revoke(registry.getLeaseId()));
			assertThat(registry.drain()).isTrue();
			registry.register(app.getBean(EtcdRegistration.class));
			await().during(Duration.ofMillis(1500))
				.atMost(BOUND)
				.until(() -> EtcdKeys.get(etcd.client(), KEY) == null && registry.getState().equals("DRAINED"));
			assertThat(registry.resume()).isTrue();
			await().atMost(BOUND).until(() -> EtcdKeys.get(etcd.client(), KEY) != null);
		}
	}

}
