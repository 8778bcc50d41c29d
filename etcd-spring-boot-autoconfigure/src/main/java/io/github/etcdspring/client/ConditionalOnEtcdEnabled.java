package io.github.etcdspring.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/**
 * Matches unless {@code etcd.enabled} is {@code false}.
 *
 * @author etcd-spring-boot contributors
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@ConditionalOnBooleanProperty(name = ConditionalOnEtcdEnabled.PROPERTY, matchIfMissing = true)
public @interface ConditionalOnEtcdEnabled {

	String PROPERTY = EtcdProperties.PREFIX + ".enabled";

}
