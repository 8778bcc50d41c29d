package io.github.etcdspring.lock;

import io.github.etcdspring.client.EtcdProperties;
import io.github.etcdspring.coordination.EtcdCoordinationAutoConfiguration;
import io.github.etcdspring.coordination.EtcdCoordinator;
import io.github.etcdspring.endpoint.EtcdEndpoint;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * Distributed locks on the coordination engine: an {@link EtcdLockRegistry}, and with
 * Spring Integration present, the same locks as its {@link LockRegistry}. Off with
 * {@code etcd.lock.enabled=false}.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration(after = EtcdCoordinationAutoConfiguration.class)
@ConditionalOnBean(EtcdCoordinator.class)
@ConditionalOnBooleanProperty(name = EtcdLockProperties.PREFIX + ".enabled", matchIfMissing = true)
@EnableConfigurationProperties(EtcdLockProperties.class)
public class EtcdLockAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EtcdLockRegistry etcdLockRegistry(EtcdCoordinator coordinator, EtcdLockProperties properties,
			EtcdProperties etcdProperties, ObjectProvider<ObservationRegistry> observations) {
		return new EtcdLockRegistry(coordinator, properties.checkedPrefix(), etcdProperties.getRequestTimeout(),
				observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(LockRegistry.class)
	static class IntegrationLockRegistryConfiguration {

		@Bean
		@ConditionalOnMissingBean(LockRegistry.class)
		EtcdIntegrationLockRegistry etcdIntegrationLockRegistry(EtcdLockRegistry locks) {
			return new EtcdIntegrationLockRegistry(locks);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	@ConditionalOnAvailableEndpoint(EtcdEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LocksEndpointSection etcdLocksEndpointSection(EtcdLockRegistry locks) {
			return new LocksEndpointSection(locks);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LockMeterBinder etcdLockMeterBinder(EtcdLockRegistry locks) {
			return new LockMeterBinder(locks);
		}

	}

}
