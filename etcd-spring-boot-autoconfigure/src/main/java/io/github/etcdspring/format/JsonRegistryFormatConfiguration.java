package io.github.etcdspring.format;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code json} registry format ({@link JsonServiceInstanceCodec}), the default. The
 * only part of the registry format that needs Jackson.
 *
 * @author etcd-spring-boot contributors
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(ObjectMapper.class)
@ConditionalOnProperty(name = EtcdRegistryFormatProperties.PREFIX + ".format", havingValue = "json",
		matchIfMissing = true)
class JsonRegistryFormatConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ServiceInstanceCodec etcdServiceInstanceCodec() {
		JsonServiceInstanceCodec codec = new JsonServiceInstanceCodec();
		codec.preinitializeInBackground();
		return codec;
	}

}
