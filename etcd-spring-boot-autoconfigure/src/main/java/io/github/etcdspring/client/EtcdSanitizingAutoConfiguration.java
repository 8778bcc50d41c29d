package io.github.etcdspring.client;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Masks {@code etcd.password} in the {@code env} and {@code configprops} actuator endpoints even when they are set
 * to show values, since Spring Boot no longer masks values by key name on its own.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
@ConditionalOnEtcdEnabled
public class EtcdSanitizingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "etcdPasswordSanitizingFunction")
	SanitizingFunction etcdPasswordSanitizingFunction() {
		return SanitizingFunction.sanitizeValue().ifKeyEquals(EtcdProperties.PREFIX + ".password");
	}

}
