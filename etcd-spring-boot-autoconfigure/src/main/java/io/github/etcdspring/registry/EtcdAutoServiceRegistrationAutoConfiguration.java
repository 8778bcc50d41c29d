package io.github.etcdspring.registry;

import java.util.ArrayList;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationProperties;
import org.springframework.cloud.client.serviceregistry.RegistrationLifecycle;
import org.springframework.cloud.client.serviceregistry.RegistrationManagementLifecycle;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the automatic registration of this application.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration(after = { EtcdServiceRegistryAutoConfiguration.class, AutoServiceRegistrationAutoConfiguration.class,
		UtilAutoConfiguration.class })
@ConditionalOnClass(WebServerInitializedEvent.class)
@ConditionalOnDiscoveryEnabled
@ConditionalOnBooleanProperty(name = "spring.cloud.service-registry.auto-registration.enabled", matchIfMissing = true)
@ConditionalOnBean({ EtcdServiceRegistry.class, AutoServiceRegistrationProperties.class, InetUtils.class })
public class EtcdAutoServiceRegistrationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EtcdRegistration etcdRegistration(EtcdServiceProperties properties, InetUtils inetUtils, Environment environment) {
		return registrationFactory(properties, inetUtils, environment).serviceRegistration();
	}

	@Bean
	@ConditionalOnMissingBean
	EtcdAutoServiceRegistration etcdAutoServiceRegistration(ApplicationContext context,
			EtcdServiceRegistry serviceRegistry, AutoServiceRegistrationProperties autoServiceRegistrationProperties,
			EtcdRegistration registration, EtcdServiceProperties properties, InetUtils inetUtils,
			Environment environment, ObjectProvider<EtcdRegistrationCustomizer> customizers,
			ObjectProvider<RegistrationManagementLifecycle<EtcdRegistration>> registrationManagementLifecycles,
			ObjectProvider<RegistrationLifecycle<EtcdRegistration>> registrationLifecycles) {
		EtcdRegistration grpcRegistration = registrationFactory(properties, inetUtils, environment)
			.grpcRegistration(registration);
		return new EtcdAutoServiceRegistration(context, serviceRegistry, autoServiceRegistrationProperties,
				registration, grpcRegistration, properties, customizers.orderedStream().toList(),
				new ArrayList<>(registrationManagementLifecycles.orderedStream().toList()),
				new ArrayList<>(registrationLifecycles.orderedStream().toList()));
	}

	private static RegistrationFactory registrationFactory(EtcdServiceProperties properties, InetUtils inetUtils,
			Environment environment) {
		return new RegistrationFactory(properties, new ServiceAddressResolver(inetUtils), environment);
	}

}
