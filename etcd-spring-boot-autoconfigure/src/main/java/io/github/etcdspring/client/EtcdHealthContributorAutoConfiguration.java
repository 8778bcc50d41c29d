package io.github.etcdspring.client;

import io.etcd.jetcd.Client;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the {@code etcd} health indicator, and of the membership of the
 * etcd indicators in the {@code readiness} group of the availability probes.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration(after = EtcdAutoConfiguration.class,
		// The readiness group must exist before EtcdReadinessHealthGroup adds to it.
		afterName = "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration")
@ConditionalOnClass({ Client.class, HealthIndicator.class })
@ConditionalOnBean({ Client.class, EtcdConnectionDetails.class })
public class EtcdHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "etcdHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("etcd")
	EtcdHealthIndicator etcdHealthIndicator(Client client, EtcdConnectionDetails connectionDetails,
			EtcdProperties properties, ObjectProvider<EtcdClusterEndpoints> clusterEndpoints,
			ObjectProvider<EtcdConnectionSignal> signals) {
		// With etcd.auto-sync-interval, ask the members the client currently knows.
		EtcdClusterEndpoints synced = clusterEndpoints.getIfAvailable();
		return new EtcdHealthIndicator(client, (synced != null) ? synced::current : connectionDetails,
				properties.getRequestTimeout(), properties.getHealth().getInterval(), signals);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthEndpointGroupsPostProcessor.class)
	static class ReadinessGroupConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EtcdReadinessHealthGroup etcdReadinessHealthGroup(Environment environment) {
			return new EtcdReadinessHealthGroup(environment);
		}

	}

}
