package io.github.etcdspring.test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * An application with a real web server on a free port and every auto-configuration, for
 * the HTTP tests of the Actuator endpoints; it does not register itself.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class WebTestApplication {

	/**
	 * Start an instance.
	 * @param etcd the cluster
	 * @param properties further properties
	 * @return the running application
	 */
	public static ConfigurableApplicationContext start(EtcdCluster etcd, String... properties) {
		return new SpringApplicationBuilder(WebTestApplication.class).web(WebApplicationType.SERVLET)
			.properties(etcd.springProperties())
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"spring.cloud.service-registry.auto-registration.enabled=false", "etcd.request-timeout=2s")
			.properties(properties)
			.run();
	}

	/**
	 * A client of the application's web server.
	 * @param application the running application
	 * @return the client
	 */
	public static WebTestClient client(ConfigurableApplicationContext application) {
		return WebTestClient.bindToServer(new JdkClientHttpConnector())
			.baseUrl("http://127.0.0.1:" + application.getEnvironment().getProperty("local.server.port"))
			.build();
	}

}
