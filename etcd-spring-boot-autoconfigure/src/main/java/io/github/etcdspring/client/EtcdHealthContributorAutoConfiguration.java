package io.github.etcdspring.client;

import io.etcd.jetcd.Client;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code etcd} health indicator.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration(after = EtcdAutoConfiguration.class)
@ConditionalOnClass({ Client.class, HealthIndicator.class })
@ConditionalOnBean({ Client.class, EtcdConnectionDetails.class })
@ConditionalOnEnabledHealthIndicator("etcd")
public class EtcdHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "etcdHealthIndicator")
	EtcdHealthIndicator etcdHealthIndicator(Client client, EtcdConnectionDetails connectionDetails,
			EtcdProperties properties, ObjectProvider<EtcdClusterEndpoints> clusterEndpoints) {
		// With etcd.auto-sync-interval, ask the members the client currently knows.
		EtcdClusterEndpoints synced = clusterEndpoints.getIfAvailable();
		return new EtcdHealthIndicator(client, (synced != null) ? synced::current : connectionDetails,
				properties.getRequestTimeout());
	}

}
