package io.github.etcdspring.format.polyglot;

import java.util.Arrays;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Go registry formats: those of plain values always, the JSON ones only with Jackson.
 * Discovery reads those of {@code etcd.discovery.formats}; the service registry publishes
 * in those of {@code service.formats}.
 *
 * @author etcd-spring-boot contributors
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EtcdFormatsProperties.class)
public class PolyglotFormatsConfiguration {

	@Bean
	PolyglotFormats etcdPlainPolyglotFormats(EtcdFormatsProperties properties) {
		return PolyglotFormats.of(properties,
				Arrays.stream(PolyglotFormat.values()).filter((format) -> !format.needsJackson()).toList());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObjectMapper.class)
	static class JsonFormats {

		@Bean
		PolyglotFormats etcdJsonPolyglotFormats(EtcdFormatsProperties properties) {
			return PolyglotFormats.of(properties,
					Arrays.stream(PolyglotFormat.values()).filter(PolyglotFormat::needsJackson).toList());
		}

	}

}
