package io.github.etcdspring.coordination;

import io.etcd.jetcd.Client;
import io.github.etcdspring.client.ConditionalOnEtcdEnabled;
import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.client.EtcdProperties;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.endpoint.EtcdEndpoint;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The engine shared by locks and leader election. It costs nothing until used: the
 * session lease is granted by the first acquisition.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration(after = EtcdAutoConfiguration.class)
@ConditionalOnClass(Client.class)
@ConditionalOnEtcdEnabled
@ConditionalOnBean(Client.class)
@EnableConfigurationProperties(EtcdCoordinationProperties.class)
public class EtcdCoordinationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EtcdCoordinator etcdCoordinator(Client client, EtcdProperties etcdProperties,
			EtcdCoordinationProperties properties) {
		CoordinationSession session = new CoordinationSession(client, properties.sessionTtlSeconds(),
				etcdProperties.getRequestTimeout());
		return new EtcdCoordinator(client, session, etcdProperties.getRequestTimeout(),
				new RetryBackoff(etcdProperties.getRetry().getDelay(), etcdProperties.getRetry().getMaxDelay()));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	@ConditionalOnAvailableEndpoint(EtcdEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CoordinationEndpointPart etcdCoordinationEndpointPart(EtcdCoordinator coordinator,
				ObjectProvider<CoordinationEndpointSection> sections) {
			return new CoordinationEndpointPart(coordinator.session(), sections.orderedStream().toList());
		}

	}

}
