package io.github.etcdspring.endpoint;

import io.github.etcdspring.client.ConditionalOnEtcdEnabled;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code etcd} Actuator endpoint, when it is exposed.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnEtcdEnabled
@ConditionalOnAvailableEndpoint(EtcdEndpoint.class)
public class EtcdEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EtcdEndpoint etcdEndpoint(ObjectProvider<EtcdEndpointPart> parts, ObjectProvider<EtcdEndpointAction> actions) {
		return new EtcdEndpoint(parts.orderedStream().toList(), actions.orderedStream().toList());
	}

}
