package io.github.etcdspring.discovery;

import io.etcd.jetcd.Client;
import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.client.EtcdProperties;
import io.github.etcdspring.endpoint.EtcdEndpoint;
import io.github.etcdspring.format.EtcdRegistryFormatAutoConfiguration;
import io.github.etcdspring.format.RegistryFormat;
import io.github.etcdspring.format.polyglot.PolyglotFormats;
import io.github.etcdspring.watch.WatchSignal;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.CommonsClientAutoConfiguration;
import org.springframework.cloud.client.ConditionalOnBlockingDiscoveryEnabled;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@link EtcdServiceCatalog} and the etcd
 * {@link DiscoveryClient}, reading the formats of {@code etcd.discovery.formats}.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration(after = { EtcdAutoConfiguration.class, EtcdRegistryFormatAutoConfiguration.class },
		before = { SimpleDiscoveryClientAutoConfiguration.class, CommonsClientAutoConfiguration.class })
@ConditionalOnClass({ Client.class, DiscoveryClient.class })
@ConditionalOnEtcdDiscoveryEnabled
@ConditionalOnBean({ Client.class, RegistryFormat.class })
@EnableConfigurationProperties(EtcdDiscoveryProperties.class)
public class EtcdDiscoveryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CatalogFormats etcdCatalogFormats(RegistryFormat nativeFormat, ObjectProvider<PolyglotFormats> polyglotFormats,
			EtcdDiscoveryProperties properties) {
		return DiscoveryFormats.of(properties.getFormats(), nativeFormat, polyglotFormats.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	EtcdServiceCatalog etcdServiceCatalog(Client client, CatalogFormats formats,
			ApplicationEventPublisher eventPublisher, EtcdProperties etcdProperties,
			EtcdDiscoveryProperties discoveryProperties) {
		EtcdServiceCatalog catalog = new EtcdServiceCatalog(client, formats, eventPublisher,
				discoveryProperties.isIncludeUnavailableInstances(), etcdProperties.getRequestTimeout(),
				etcdProperties.getRetry().getDelay(), etcdProperties.getRetry().getMaxDelay(),
				etcdProperties.isFailFast());
		// overlaps with the creation of the other beans; applied when the catalog starts
		catalog.beginFirstRead();
		return catalog;
	}

	@Bean
	@ConditionalOnMissingBean(name = "etcdRegistryWatchSignal")
	WatchSignal etcdRegistryWatchSignal(EtcdServiceCatalog catalog) {
		return new WatchSignal("the etcd service registry", catalog.getWatchCounts());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	@ConditionalOnAvailableEndpoint(EtcdEndpoint.class)
	static class DiscoveryEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DiscoveryEndpointPart etcdDiscoveryEndpointPart(EtcdServiceCatalog catalog) {
			return new DiscoveryEndpointPart(catalog);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class DiscoveryMetersConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DiscoveryMeters etcdDiscoveryMeters(EtcdServiceCatalog catalog) {
			return new DiscoveryMeters(catalog);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBlockingDiscoveryEnabled
	static class BlockingDiscoveryClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EtcdDiscoveryClient etcdDiscoveryClient(EtcdServiceCatalog catalog, EtcdDiscoveryProperties properties) {
			return new EtcdDiscoveryClient(catalog, properties.getOrder());
		}

	}

}
