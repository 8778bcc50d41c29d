package io.github.etcdspring.discovery;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The registry's key layout and value format, shared by discovery (which reads them) and the service registry
 * (which writes them).
 *
 * @author etcd-spring-boot contributors
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EtcdDiscoveryProperties.class)
public class EtcdRegistryFormatConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RegistryKeyLayout etcdRegistryKeyLayout(EtcdDiscoveryProperties properties) {
		try {
			return new RegistryKeyLayout(properties.getPrefix());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(EtcdDiscoveryProperties.PREFIX + ".prefix",
					properties.getPrefix(), ex.getMessage());
		}
	}

	@Bean
	@ConditionalOnMissingBean
	ServiceInstanceCodec etcdServiceInstanceCodec() {
		return new JsonServiceInstanceCodec();
	}

}
