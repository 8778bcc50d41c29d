package io.github.etcdspring.embedded;

import java.util.List;

import io.github.etcdspring.client.ConditionalOnEtcdEnabled;
import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.client.EtcdConnectionDetails;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Starts a local etcd server when {@code etcd.embedded.enabled} is true and connects the
 * client to it.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration(before = EtcdAutoConfiguration.class)
@ConditionalOnEtcdEnabled
@ConditionalOnBooleanProperty(EmbeddedEtcdProperties.PREFIX + ".enabled")
@EnableConfigurationProperties(EmbeddedEtcdProperties.class)
public class EmbeddedEtcdAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EmbeddedEtcd embeddedEtcd(EmbeddedEtcdProperties properties) {
		return new EmbeddedEtcd(properties);
	}

	@Bean
	@ConditionalOnMissingBean(EtcdConnectionDetails.class)
	EtcdConnectionDetails embeddedEtcdConnectionDetails(EmbeddedEtcd embeddedEtcd) {
		return () -> List.of(embeddedEtcd.getClientUrl());
	}

}
