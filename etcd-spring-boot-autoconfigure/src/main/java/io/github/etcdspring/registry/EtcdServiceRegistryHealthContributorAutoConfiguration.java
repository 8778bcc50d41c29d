package io.github.etcdspring.registry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code etcdRegistration} health indicator.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration(after = EtcdServiceRegistryAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(EtcdServiceRegistry.class)
@ConditionalOnEnabledHealthIndicator("etcd-registration")
public class EtcdServiceRegistryHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "etcdRegistrationHealthIndicator")
	EtcdServiceRegistryHealthIndicator etcdRegistrationHealthIndicator(EtcdServiceRegistry registry) {
		return new EtcdServiceRegistryHealthIndicator(registry);
	}

}
