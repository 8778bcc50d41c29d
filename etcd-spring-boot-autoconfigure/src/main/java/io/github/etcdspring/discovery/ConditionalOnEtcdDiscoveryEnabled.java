package io.github.etcdspring.discovery;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.github.etcdspring.client.ConditionalOnEtcdEnabled;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;

/**
 * Matches when etcd, Spring Cloud discovery ({@code spring.cloud.discovery.enabled}) and
 * etcd discovery ({@code etcd.discovery.enabled}) are all enabled.
 *
 * @author etcd-spring-boot contributors
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@ConditionalOnEtcdEnabled
@ConditionalOnDiscoveryEnabled
@ConditionalOnBooleanProperty(name = EtcdDiscoveryProperties.PREFIX + ".enabled", matchIfMissing = true)
public @interface ConditionalOnEtcdDiscoveryEnabled {

}
