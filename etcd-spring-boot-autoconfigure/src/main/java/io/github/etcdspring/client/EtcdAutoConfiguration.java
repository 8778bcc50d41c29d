package io.github.etcdspring.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the shared jetcd {@link Client}.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
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
	@ConditionalOnMissingBean
	Client etcdClient(EtcdProperties properties, EtcdConnectionDetails connectionDetails,
			ObjectProvider<EtcdClientBuilderCustomizer> customizers) {
		ClientBuilder builder = new EtcdClientBuilderConfigurer(properties, connectionDetails)
			.configure(Client.builder());
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		Client client = builder.build();
		if (properties.isFailFast()) {
			verifyConnection(client, connectionDetails, properties.getAuthority(), properties.getDialTimeout());
		}
		return client;
	}

	/**
	 * Makes one authenticated call, so that an unreachable cluster, an untrusted certificate or wrong credentials
	 * stop the startup instead of the first real request.
	 */
	private static void verifyConnection(Client client, EtcdConnectionDetails connectionDetails, String authority,
			Duration timeout) {
		List<URI> endpoints = connectionDetails.getEndpoints();
		try {
			client.getClusterClient().listMember().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			client.close();
			throw new EtcdConnectionException(endpoints, EtcdFailure.OTHER, "interrupted", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			client.close();
			ConnectionFailure failure = ConnectionFailure.diagnose(
					(ex instanceof ExecutionException) ? ex.getCause() : ex, connectionDetails, authority, timeout,
					"etcd.dial-timeout");
			throw new EtcdConnectionException(endpoints, failure.failure(), failure.detail(), failure.cause());
		}
	}

}
