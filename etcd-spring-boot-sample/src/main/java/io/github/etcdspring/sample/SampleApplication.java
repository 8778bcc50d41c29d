package io.github.etcdspring.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.web.client.RestClient;

/**
 * A tour of the etcd starter: configuration imported from etcd and refreshed live,
 * service registration and discovery, and the shared client. By default it starts a local
 * etcd of its own (etcd.embedded.enabled=true); point it at a cluster with
 * {@code --etcd.embedded.enabled=false --etcd.endpoints=host:2379}.
 *
 * @author etcd-spring-boot contributors
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(ShopProperties.class)
public class SampleApplication {

	/**
	 * A builder of clients that resolve service names through the etcd registry.
	 * @return the builder
	 */
	@Bean
	@LoadBalanced
	RestClient.Builder loadBalancedRestClientBuilder() {
		return RestClient.builder();
	}

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
