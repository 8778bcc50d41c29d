package io.github.etcdspring.lock;

import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.coordination.EtcdCoordinationAutoConfiguration;
import io.github.etcdspring.test.EtcdCluster;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * An application with etcd's client, the coordination engine and the locks only, with a
 * session TTL of 2s, for lock tests. Each one has its own session lease, as a process of
 * its own would.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ EtcdAutoConfiguration.class, EtcdCoordinationAutoConfiguration.class,
		EtcdLockAutoConfiguration.class })
public class LockTestApplication {

	/**
	 * Start an application.
	 * @param etcd the cluster
	 * @param properties further properties
	 * @return the running application
	 */
	public static ConfigurableApplicationContext start(EtcdCluster etcd, String... properties) {
		return new SpringApplicationBuilder(LockTestApplication.class).web(WebApplicationType.NONE)
			.properties(etcd.springProperties())
			.properties("etcd.coordination.session-ttl=2s", "etcd.retry.delay=100ms", "etcd.retry.max-delay=500ms",
					"etcd.request-timeout=2s", "spring.main.banner-mode=off")
			.properties(properties)
			.run();
	}

	/**
	 * The lock registry of an application.
	 * @param app the application
	 * @return its registry
	 */
	public static EtcdLockRegistry locks(ConfigurableApplicationContext app) {
		return app.getBean(EtcdLockRegistry.class);
	}

}
