package io.github.etcdspring.test.context;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.github.etcdspring.client.EtcdConnectionDetails;
import io.github.etcdspring.embedded.EmbeddedEtcd;

import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Gives a Spring test context (such as an application's {@code @SpringBootTest}) a local
 * etcd of its own, the way {@code @ServiceConnection} gives it a Testcontainers service:
 * the {@code etcd} binary is started on free loopback ports with a temporary data
 * directory before the configuration is read, so that {@code spring.config.import=etcd:}
 * reads from it too; an {@link EtcdConnectionDetails} bean connects the application's
 * client to it, whatever {@code etcd.endpoints}, credentials and SSL bundle the
 * application configures; and it is stopped, its data deleted, when the context closes.
 * Test classes with the same configuration share one context, and so one etcd. The test's
 * inlined properties ({@code @SpringBootTest(properties = ...)}) stay in force when a
 * change in etcd refreshes the context.
 * <p>
 * This is the {@link EmbeddedEtcd local etcd} of {@code etcd.embedded.*}, with a free
 * client port and a temporary data directory whatever the application's own
 * {@code application.yaml} says: {@code etcd.embedded.binary} and
 * {@code etcd.embedded.startup-timeout} still apply. The binary is taken from the
 * {@code PATH} otherwise; without one the context fails to start with installation
 * advice.
 *
 * @author etcd-spring-boot contributors
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@TestPropertySource(properties = { "etcd.enabled=true", "etcd.embedded.enabled=true", "etcd.embedded.client-port=0",
		"etcd.embedded.data-directory=", "spring.cloud.refresh.additional-property-sources-to-retain="
				+ TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME })
public @interface LocalEtcd {

}
