package io.github.etcdspring.registry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.etcd.jetcd.Client;
import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.client.EtcdConnectionDetails;
import io.github.etcdspring.client.EtcdProperties;
import io.github.etcdspring.endpoint.EtcdEndpoint;
import io.github.etcdspring.format.EtcdRegistryFormatAutoConfiguration;
import io.github.etcdspring.format.RegistryFormat;
import io.github.etcdspring.format.polyglot.PolyglotFormats;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.cloud.client.serviceregistry.ServiceRegistryAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@link EtcdServiceRegistry}.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration(after = { EtcdAutoConfiguration.class, EtcdRegistryFormatAutoConfiguration.class },
		before = ServiceRegistryAutoConfiguration.class)
@ConditionalOnClass({ Client.class, ServiceRegistry.class })
@ConditionalOnEtcdServiceRegistryEnabled
@ConditionalOnBean({ Client.class, RegistryFormat.class })
@EnableConfigurationProperties(EtcdServiceProperties.class)
public class EtcdServiceRegistryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EtcdServiceRegistry etcdServiceRegistry(Client client, RegistryFormat format,
			ObjectProvider<PolyglotFormats> polyglotFormats, EtcdProperties etcdProperties,
			EtcdConnectionDetails connectionDetails, EtcdServiceProperties serviceProperties,
			ApplicationEventPublisher eventPublisher, ObjectProvider<ObservationRegistry> observationRegistry) {
		EtcdServiceProperties.Retry retry = serviceProperties.getRetry();
		if (retry.getMaxAttempts() < 0) {
			throw new InvalidConfigurationPropertyValueException("service.retry.max-attempts", retry.getMaxAttempts(),
					"Must be 0 (retry forever) or more");
		}
		atLeast("service.retry.delay", retry.getDelay(), Duration.ofMillis(1));
		atLeast("service.retry.check-interval", retry.getCheckInterval(), Duration.ofMillis(1));
		atLeast("etcd.keepalive-ttl", etcdProperties.getKeepaliveTtl(), Duration.ofSeconds(1));
		EtcdServiceRegistry.Settings settings = new EtcdServiceRegistry.Settings(
				connectionDetails.getEndpoints().stream().map(Object::toString).toList(),
				etcdProperties.getKeepaliveTtl(), etcdProperties.getRequestTimeout(), etcdProperties.isFailFast(),
				retry, etcdProperties.getRetry().getMaxDelay());
		Map<String, RegistryFormat> formats = new LinkedHashMap<>();
		formats.put(PublishedFormats.NATIVE, format);
		polyglotFormats.orderedStream()
			.forEach((polyglot) -> polyglot.names().forEach((name) -> formats.put(name, polyglot.get(name))));
		try {
			EtcdServiceRegistry registry = new EtcdServiceRegistry(client, formats, serviceProperties.getFormats(),
					settings, eventPublisher);
			registry.setObservationRegistry(observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
			return registry;
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(EtcdServiceProperties.PREFIX + ".formats",
					String.join(",", serviceProperties.getFormats()), ex.getMessage());
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	@ConditionalOnAvailableEndpoint(EtcdEndpoint.class)
	static class RegistryEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RegistrationsEndpointPart etcdRegistrationsEndpointPart(EtcdServiceRegistry registry) {
			return new RegistrationsEndpointPart(registry);
		}

		@Bean
		@ConditionalOnMissingBean(name = "etcdDeregisterEndpointAction")
		RegistryEndpointAction etcdDeregisterEndpointAction(EtcdServiceRegistry registry) {
			return RegistryEndpointAction.deregister(registry);
		}

		@Bean
		@ConditionalOnMissingBean(name = "etcdRegisterEndpointAction")
		RegistryEndpointAction etcdRegisterEndpointAction(EtcdServiceRegistry registry) {
			return RegistryEndpointAction.register(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class RegistryMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EtcdRegistryMeterBinder etcdRegistryMeterBinder(EtcdServiceRegistry registry) {
			return new EtcdRegistryMeterBinder(registry);
		}

	}

	private static void atLeast(String property, @Nullable Duration value, Duration minimum) {
		if (value == null || value.compareTo(minimum) < 0) {
			throw new InvalidConfigurationPropertyValueException(property, value, "Must be at least " + minimum);
		}
	}

}
