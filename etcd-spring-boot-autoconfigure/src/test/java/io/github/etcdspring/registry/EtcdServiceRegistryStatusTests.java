package io.github.etcdspring.registry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.etcd.jetcd.Client;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.JsonServiceInstanceCodec;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static io.github.etcdspring.test.EtcdKeys.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * A status change is all or nothing, and in turn with registration and deregistration.
 */
class EtcdServiceRegistryStatusTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client root = etcd.client();

	@Test
	void aStatusThatCouldNotBeWrittenIsNotWrittenWhenTheRegistrationIsRestored() {
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0));
				ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=refused",
						"service.port=8161", "etcd.endpoints=" + proxy.endpoint(), "etcd.request-timeout=1s")) {
			EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
			EtcdRegistration registration = app.getBean(EtcdRegistration.class);
			RegistryTestApplication.RegistrationEvents events = app
				.getBean(RegistryTestApplication.RegistrationEvents.class);
			proxy.cut();
			assertThatException().isThrownBy(() -> registry.setStatus(registration, "OUT_OF_SERVICE"));
			assertThat(registry.<String>getStatus(registration)).isEqualTo("UP");
			await().atMost(BOUND).until(() -> !events.lost.isEmpty());
			proxy.restore();
			await().atMost(BOUND).until(() -> !events.restored.isEmpty());
			assertThat(decode("refused", "127.0.0.1:8161").getStatus()).isEqualTo("UP");
			assertThat(registry.<String>getStatus(registration)).isEqualTo("UP");
		}
	}

	/**
	 * The deregistration is started while the status change is between reading the
	 * registration and writing it (where it encodes the instance), and the status change
	 * is let go on once the deregistration has either finished or is waiting for its
	 * turn. It must not register the instance again.
	 */
	@Test
	void aStatusChangeRacingWithDeregistrationDoesNotRegisterTheInstanceAgain() throws Exception {
		try (ConfigurableApplicationContext app = RegistryTestApplication.start(etcd, "service.name=racing",
				"service.port=8171", "service.register=false")) {
			EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
			RacingRegistration registration = new RacingRegistration(registry);
			registry.register(registration);
			assertThat(get(this.root, "services/racing/i-1")).isNotNull();

			registration.armed.set(true);
			registry.setStatus(registration, "DOWN");
			registration.deregistration.join(BOUND.toMillis());

			assertThat(registration.deregistration.isAlive()).isFalse();
			assertThat(get(this.root, "services/racing/i-1")).isNull();
			assertThat(registry.getState()).isEqualTo("IDLE");
		}
	}

	private EtcdServiceInstance decode(String service, String instanceId) {
		String value = get(this.root, "services/" + service + "/" + instanceId);
		assertThat(value).as("services/" + service + "/" + instanceId).isNotNull();
		return new JsonServiceInstanceCodec().decode(service, instanceId, value.getBytes());
	}

	/**
	 * A registration that, once armed, deregisters itself from another thread the next
	 * time it is encoded.
	 */
	static class RacingRegistration extends EtcdRegistration {

		final AtomicBoolean armed = new AtomicBoolean();

		final Thread deregistration;

		RacingRegistration(EtcdServiceRegistry registry) {
			super("racing", "127.0.0.1");
			setInstanceId("i-1");
			setPort(8171);
			this.deregistration = new Thread(() -> registry.deregister(this), "racing-deregistration");
		}

		@Override
		public EtcdServiceInstance toServiceInstance() {
			if (this.armed.compareAndSet(true, false)) {
				this.deregistration.start();
				await().atMost(BOUND)
					.until(() -> this.deregistration.getState() == Thread.State.WAITING
							|| this.deregistration.getState() == Thread.State.TIMED_WAITING
							|| this.deregistration.getState() == Thread.State.TERMINATED);
			}
			return super.toServiceInstance();
		}

	}

}
