package io.github.etcdspring.registry;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.github.etcdspring.client.ConditionalOnEtcdEnabled;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/**
 * Matches when etcd, Spring Cloud's service registry
 * ({@code spring.cloud.service-registry.enabled}) and this application's participation in
 * the registry ({@code service.enabled}) are all enabled.
 *
 * @author etcd-spring-boot contributors
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@ConditionalOnEtcdEnabled
@ConditionalOnBooleanProperty(
		name = { "spring.cloud.service-registry.enabled", EtcdServiceProperties.PREFIX + ".enabled" },
		matchIfMissing = true)
public @interface ConditionalOnEtcdServiceRegistryEnabled {

}
