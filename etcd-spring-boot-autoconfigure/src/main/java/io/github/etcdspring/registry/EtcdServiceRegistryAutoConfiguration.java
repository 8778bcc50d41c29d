package io.github.etcdspring.registry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.etcd.jetcd.Client;
import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.client.EtcdConnectionDetails;
import io.github.etcdspring.client.EtcdProperties;
import io.github.etcdspring.format.EtcdRegistryFormatAutoConfiguration;
import io.github.etcdspring.format.RegistryFormat;
import io.github.etcdspring.format.polyglot.PolyglotFormats;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
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
			ApplicationEventPublisher eventPublisher) {
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
			return new EtcdServiceRegistry(client, formats, serviceProperties.getFormats(), settings, eventPublisher);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(EtcdServiceProperties.PREFIX + ".formats",
					String.join(",", serviceProperties.getFormats()), ex.getMessage());
		}
	}

	private static void atLeast(String property, @Nullable Duration value, Duration minimum) {
		if (value == null || value.compareTo(minimum) < 0) {
			throw new InvalidConfigurationPropertyValueException(property, value, "Must be at least " + minimum);
		}
	}

}
