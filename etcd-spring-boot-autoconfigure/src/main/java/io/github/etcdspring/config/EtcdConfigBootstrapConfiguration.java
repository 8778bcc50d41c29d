package io.github.etcdspring.config;

import io.github.etcdspring.client.ConditionalOnEtcdEnabled;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.bootstrap.config.PropertySourceBootstrapConfiguration;
import org.springframework.cloud.bootstrap.config.PropertySourceLocator;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Configuration from etcd for applications that use the bootstrap context.
 *
 * @author etcd-spring-boot contributors
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(PropertySourceLocator.class)
@ConditionalOnEtcdEnabled
@ConditionalOnBooleanProperty(name = EtcdConfigProperties.PREFIX + ".enabled", matchIfMissing = true)
public class EtcdConfigBootstrapConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EtcdPropertySourceLocator etcdPropertySourceLocator() {
		return new EtcdPropertySourceLocator();
	}

	@Bean
	@ConditionalOnBooleanProperty(name = EtcdConfigProperties.PREFIX + ".override-local", havingValue = false)
	LocalConfigurationFirst etcdLocalConfigurationFirst() {
		return new LocalConfigurationFirst();
	}

	/**
	 * Applies {@code etcd.config.override-local=false} once the bootstrap sources are in
	 * place.
	 */
	static class LocalConfigurationFirst
			implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {

		@Override
		public void initialize(ConfigurableApplicationContext applicationContext) {
			EtcdPropertySources.moveBelowLocalConfiguration(applicationContext.getEnvironment().getPropertySources());
		}

		/**
		 * Right after {@link PropertySourceBootstrapConfiguration} (HIGHEST_PRECEDENCE +
		 * 10) added them.
		 */
		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE + 11;
		}

	}

}
