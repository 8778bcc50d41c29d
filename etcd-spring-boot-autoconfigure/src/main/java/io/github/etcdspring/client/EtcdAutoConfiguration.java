package io.github.etcdspring.client;

import java.time.Duration;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.github.etcdspring.endpoint.EtcdEndpoint;
import io.github.etcdspring.template.EtcdTemplate;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * Auto-configuration of the shared jetcd {@link Client}.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration(after = SslAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(Client.class)
@ConditionalOnEtcdEnabled
@EnableConfigurationProperties(EtcdProperties.class)
public class EtcdAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(EtcdConnectionDetails.class)
	PropertiesEtcdConnectionDetails etcdConnectionDetails(EtcdProperties properties,
			ObjectProvider<SslBundles> sslBundles) {
		return new PropertiesEtcdConnectionDetails(properties, sslBundles.getIfAvailable());
	}

	@Bean
	@ConditionalOnProperty(prefix = EtcdProperties.PREFIX, name = "auto-sync-interval")
	EtcdClusterEndpoints etcdClusterEndpoints(EtcdProperties properties, EtcdConnectionDetails connectionDetails) {
		Duration interval = properties.getAutoSyncInterval();
		if (interval == null || interval.isNegative() || interval.isZero()) {
			throw new InvalidConfigurationPropertyValueException(EtcdProperties.PREFIX + ".auto-sync-interval",
					interval, "Must be a positive duration, e.g. 30s; leave it unset to keep the configured endpoints");
		}
		return new EtcdClusterEndpoints(connectionDetails.getEndpoints(), properties.getAuthority());
	}

	@Bean
	@ConditionalOnProperty(prefix = EtcdProperties.PREFIX, name = "auto-sync-interval")
	EtcdEndpointAutoSync etcdEndpointAutoSync(Client client, EtcdClusterEndpoints clusterEndpoints,
			EtcdProperties properties, EtcdConnectionDetails connectionDetails) {
		return new EtcdEndpointAutoSync(client, clusterEndpoints, properties.getAutoSyncInterval(),
				properties.getRequestTimeout(), connectionDetails.getSslBundle() != null);
	}

	@Bean
	@ConditionalOnMissingBean
	@Lazy(false)
	EtcdConnectionCheck etcdConnectionCheck() {
		return new EtcdConnectionCheck();
	}

	@Bean
	@ConditionalOnMissingBean
	Client etcdClient(EtcdProperties properties, EtcdConnectionDetails connectionDetails,
			ObjectProvider<EtcdClientBuilderCustomizer> customizers,
			ObjectProvider<EtcdClusterEndpoints> clusterEndpoints, ObjectProvider<SslBundles> sslBundles,
			EtcdConnectionCheck connectionCheck) {
		EtcdClientBuilderConfigurer configurer = new EtcdClientBuilderConfigurer(properties, connectionDetails);
		ClientBuilder builder = configurer.configure(Client.builder());
		String bundle = properties.getSsl().getBundle();
		SslBundles bundles = sslBundles.getIfAvailable();
		if (bundle != null && bundles != null && connectionDetails instanceof PropertiesEtcdConnectionDetails) {
			// spring.ssl.bundle.*.reload-on-update: new connections use the rotated
			// certificates
			bundles.addBundleUpdateHandler(bundle, configurer::reloadSslBundle);
		}
		clusterEndpoints.ifAvailable((endpoints) -> builder.target(endpoints.target()));
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		EtcdFirstConnection firstConnection = EtcdFirstConnection.startingNow(properties.getDialTimeout());
		Client client = builder.build();
		if (properties.isFailFast()) {
			connectionCheck.begin(client, firstConnection, connectionDetails, properties);
		}
		return client;
	}

	@Bean
	@ConditionalOnMissingBean
	EtcdTemplate etcdTemplate(Client client, EtcdProperties properties) {
		return new EtcdTemplate(client, properties.getRequestTimeout(), properties.getRetry().getDelay(),
				properties.getRetry().getMaxDelay());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	@ConditionalOnAvailableEndpoint(EtcdEndpoint.class)
	static class ClusterEndpointPartConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EtcdClusterPart etcdClusterPart(Client client, EtcdConnectionDetails connectionDetails,
				EtcdProperties properties, ObjectProvider<EtcdClusterEndpoints> clusterEndpoints) {
			EtcdClusterEndpoints synced = clusterEndpoints.getIfAvailable();
			return new EtcdClusterPart(client, (synced != null) ? synced::current : connectionDetails, synced != null,
					properties.getRequestTimeout());
		}

	}

	/**
	 * Every gRPC call of the shared client observed ({@code grpc.client}, named after the
	 * method, e.g. {@code etcdserverpb.KV/Range}) when the application has an
	 * {@link ObservationRegistry}, so that traces and the {@code grpc.client} timer show
	 * them. The interceptor comes after the starter's own deadline interceptor, so it
	 * also sees the calls that time out.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObservationGrpcClientInterceptor.class)
	@ConditionalOnBean(ObservationRegistry.class)
	static class GrpcObservationConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "etcdGrpcObservationCustomizer")
		EtcdClientBuilderCustomizer etcdGrpcObservationCustomizer(ObservationRegistry observationRegistry) {
			return (builder) -> builder.interceptor(new ObservationGrpcClientInterceptor(observationRegistry));
		}

	}

}
