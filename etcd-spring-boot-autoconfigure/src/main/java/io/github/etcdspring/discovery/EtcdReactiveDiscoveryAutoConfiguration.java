package io.github.etcdspring.discovery;

import reactor.core.publisher.Flux;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.cloud.client.ConditionalOnDiscoveryHealthIndicatorEnabled;
import org.springframework.cloud.client.ConditionalOnReactiveDiscoveryEnabled;
import org.springframework.cloud.client.ReactiveCommonsClientAutoConfiguration;
import org.springframework.cloud.client.discovery.health.DiscoveryClientHealthIndicatorProperties;
import org.springframework.cloud.client.discovery.health.reactive.ReactiveDiscoveryClientHealthIndicator;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the etcd {@link EtcdReactiveDiscoveryClient} and its health
 * indicator.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration(after = EtcdDiscoveryAutoConfiguration.class,
		before = { ReactiveCommonsClientAutoConfiguration.class, SimpleReactiveDiscoveryClientAutoConfiguration.class })
@ConditionalOnClass(Flux.class)
@ConditionalOnEtcdDiscoveryEnabled
@ConditionalOnReactiveDiscoveryEnabled
@ConditionalOnBean(EtcdServiceCatalog.class)
public class EtcdReactiveDiscoveryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EtcdReactiveDiscoveryClient etcdReactiveDiscoveryClient(EtcdServiceCatalog catalog,
			EtcdDiscoveryProperties properties) {
		return new EtcdReactiveDiscoveryClient(catalog, properties.getOrder());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ReactiveHealthIndicator.class)
	@ConditionalOnDiscoveryHealthIndicatorEnabled
	@EnableConfigurationProperties(DiscoveryClientHealthIndicatorProperties.class)
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "etcdReactiveDiscoveryClientHealthIndicator")
		ReactiveDiscoveryClientHealthIndicator etcdReactiveDiscoveryClientHealthIndicator(
				EtcdReactiveDiscoveryClient client, DiscoveryClientHealthIndicatorProperties properties) {
			return new ReactiveDiscoveryClientHealthIndicator(client, properties);
		}

	}

}
