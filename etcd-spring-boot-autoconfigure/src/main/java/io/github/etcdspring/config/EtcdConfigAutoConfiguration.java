package io.github.etcdspring.config;

import io.etcd.jetcd.Client;
import io.github.etcdspring.client.ConditionalOnEtcdEnabled;
import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.client.EtcdProperties;
import io.github.etcdspring.endpoint.EtcdEndpoint;
import io.github.etcdspring.watch.WatchMeters;
import io.github.etcdspring.watch.WatchSignal;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.cloud.endpoint.event.RefreshEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Distributed configuration at runtime: the watcher that refreshes the application when
 * its configuration changes in etcd, and {@link EtcdConfigOperations} to read and write
 * configuration. Loading it is the job of the {@code etcd:} config data import or the
 * bootstrap {@link EtcdPropertySourceLocator}. What the watcher did is kept in a
 * {@link ConfigRefreshHistory}, shown by the {@code configuration} part of the
 * {@code etcd} endpoint and counted by the {@code etcd.config.*} meters.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration(after = EtcdAutoConfiguration.class)
@ConditionalOnClass(Client.class)
@ConditionalOnEtcdEnabled
@ConditionalOnBooleanProperty(name = EtcdConfigProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnBean(Client.class)
@EnableConfigurationProperties(EtcdConfigProperties.class)
public class EtcdConfigAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(EtcdConfigOperations.class)
	EtcdConfigTemplate etcdConfigTemplate(Client client, EtcdConfigProperties properties,
			ConfigurableEnvironment environment, EtcdProperties etcdProperties) {
		return new EtcdConfigTemplate(client, properties, environment, etcdProperties.getRequestTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	ConfigRefreshHistory etcdConfigRefreshHistory(EtcdConfigProperties properties) {
		return new ConfigRefreshHistory(properties.getWatch().getHistorySize());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	@ConditionalOnAvailableEndpoint(EtcdEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ConfigurationEndpointPart etcdConfigurationEndpointPart(ConfigurableEnvironment environment,
				ConfigRefreshHistory history, ObjectProvider<EtcdConfigDataClient> dataClient) {
			return new ConfigurationEndpointPart(environment, history, dataClient.getIfAvailable());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ConfigMeters etcdConfigMeters(ConfigRefreshHistory history, EtcdConfigProperties properties) {
			return new ConfigMeters(history, properties.getWatch().getRefreshMode());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RefreshEvent.class)
	@ConditionalOnBooleanProperty(name = EtcdConfigProperties.PREFIX + ".watch.enabled", matchIfMissing = true)
	@ConditionalOnBooleanProperty(name = "spring.cloud.refresh.enabled", matchIfMissing = true)
	static class WatchConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EtcdConfigWatcher etcdConfigWatcher(Client client, ConfigurableEnvironment environment,
				ApplicationContext applicationContext, ObjectProvider<RefreshScope> refreshScope,
				EtcdConfigProperties properties, EtcdProperties etcdProperties, ConfigRefreshHistory history,
				ObjectProvider<ObservationRegistry> observationRegistry) {
			return new EtcdConfigWatcher(client, environment, applicationContext, refreshScope, properties.getWatch(),
					etcdProperties.getRequestTimeout(), etcdProperties.getRetry().backoff(), properties.getLimits(),
					history, observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
		}

		@Bean
		@ConditionalOnMissingBean(name = "etcdConfigWatchSignal")
		WatchSignal etcdConfigWatchSignal(EtcdConfigWatcher watcher) {
			return new WatchSignal("the configuration in etcd", watcher.getWatchCounts());
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(MeterBinder.class)
		static class WatchMetricsConfiguration {

			@Bean
			@ConditionalOnMissingBean(name = "etcdConfigWatchMeters")
			WatchMeters etcdConfigWatchMeters(EtcdConfigWatcher watcher) {
				return new WatchMeters("config", watcher.getWatchCounts());
			}

		}

	}

}
