package io.github.etcdspring.registry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.etcdspring.test.EtcdCluster;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * An application without a web server that registers itself through {@code service.port},
 * for registry tests.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class RegistryTestApplication {

	@Bean
	RegistrationEvents registrationEvents() {
		return new RegistrationEvents();
	}

	/**
	 * Start an instance.
	 * @param etcd the cluster
	 * @param properties further properties
	 * @return the running application
	 */
	public static ConfigurableApplicationContext start(EtcdCluster etcd, String... properties) {
		return new SpringApplicationBuilder(RegistryTestApplication.class).web(WebApplicationType.NONE)
			.properties(etcd.springProperties())
			.properties("etcd.keepalive-ttl=3s", "service.host=127.0.0.1", "service.retry.delay=200ms",
					"service.retry.check-interval=1s", "etcd.retry.delay=200ms", "etcd.retry.max-delay=1s",
					"spring.main.banner-mode=off")
			.properties(properties)
			.run();
	}

	/**
	 * The registration losses and restorations an application published.
	 */
	public static class RegistrationEvents implements ApplicationListener<ApplicationEvent> {

		public final List<EtcdRegistrationLostEvent> lost = new CopyOnWriteArrayList<>();

		public final List<EtcdRegistrationRestoredEvent> restored = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (event instanceof EtcdRegistrationLostEvent lostEvent) {
				this.lost.add(lostEvent);
			}
			else if (event instanceof EtcdRegistrationRestoredEvent restoredEvent) {
				this.restored.add(restoredEvent);
			}
		}

	}

}
