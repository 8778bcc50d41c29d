package io.github.etcdspring.leader;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;

import io.etcd.jetcd.Client;
import io.github.etcdspring.client.EtcdProperties;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.coordination.EtcdCoordinationAutoConfiguration;
import io.github.etcdspring.coordination.EtcdCoordinator;
import io.github.etcdspring.endpoint.EtcdEndpoint;
import io.github.etcdspring.registry.EtcdRegistration;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Leader election: the {@link EtcdLeaderElection} bean whenever the coordinator exists
 * (it costs nothing until used) and, with {@code etcd.leader.enabled=true}, the
 * application's own leadership, its leader-only task scheduler, and Spring Integration's
 * leader events when it is on the class path. After Spring Boot's task scheduling, so
 * that the leader-only scheduler never stands in for the default one.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration(after = { EtcdCoordinationAutoConfiguration.class, TaskSchedulingAutoConfiguration.class })
@ConditionalOnBean(EtcdCoordinator.class)
@EnableConfigurationProperties(EtcdLeaderProperties.class)
public class EtcdLeaderAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EtcdLeaderElection etcdLeaderElection(EtcdCoordinator coordinator, Client client, EtcdLeaderProperties properties) {
		return new EtcdLeaderElection(coordinator, client, properties.checkedPrefix());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(EtcdLeaderProperties.PREFIX + ".enabled")
	static class ApplicationLeadershipConfiguration {

		private static final String REGISTRATION = "org.springframework.cloud.client.serviceregistry.Registration";

		@Bean
		@ConditionalOnMissingBean
		EtcdLeaderInitiator etcdLeaderInitiator(EtcdLeaderElection election, EtcdLeaderProperties properties,
				EtcdProperties etcdProperties, Environment environment, ApplicationContext context) {
			String name = properties.checkedName(environment.getProperty("spring.application.name"));
			return new EtcdLeaderInitiator(election, name, () -> proposal(properties, context), context,
					new RetryBackoff(etcdProperties.getRetry().getDelay(), etcdProperties.getRetry().getMaxDelay()),
					etcdProperties.getRequestTimeout());
		}

		@Bean(name = EtcdLeaderTaskScheduler.BEAN_NAME, defaultCandidate = false)
		@ConditionalOnMissingBean(name = EtcdLeaderTaskScheduler.BEAN_NAME)
		EtcdLeaderTaskScheduler etcdLeaderTaskScheduler(EtcdLeaderInitiator initiator) {
			return new EtcdLeaderTaskScheduler(initiator);
		}

		/**
		 * The proposal: {@code etcd.leader.proposal}, else the service instance id of an
		 * application that registers itself, else {host name}:{process id}.
		 */
		private static String proposal(EtcdLeaderProperties properties, ApplicationContext context) {
			String proposal = properties.getProposal();
			if (StringUtils.hasText(proposal)) {
				return proposal;
			}
			if (ClassUtils.isPresent(REGISTRATION, context.getClassLoader())) {
				String instanceId = RegisteredInstance.id(context);
				if (StringUtils.hasText(instanceId)) {
					return instanceId;
				}
			}
			return hostName() + ":" + ManagementFactory.getRuntimeMXBean().getPid();
		}

		private static String hostName() {
			try {
				return InetAddress.getLocalHost().getHostName();
			}
			catch (UnknownHostException ex) {
				return "localhost";
			}
		}

	}

	/**
	 * The instance id the application registers with. A non-web application registers
	 * (and completes its instance id) only once ready, after the first campaign: its
	 * {@code host:port} is the id it will get. Loaded only with Spring Cloud Commons on
	 * the class path.
	 */
	private static final class RegisteredInstance {

		static @Nullable String id(ApplicationContext context) {
			EtcdRegistration registration = context.getBeanProvider(EtcdRegistration.class).getIfAvailable();
			if (registration == null) {
				return null;
			}
			if (registration.getInstanceId() != null || registration.getPort() <= 0) {
				return registration.getInstanceId();
			}
			try {
				return registration.getUri().getAuthority();
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(EtcdLeaderProperties.PREFIX + ".enabled")
	@ConditionalOnClass(OnGrantedEvent.class)
	static class IntegrationLeaderEventsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		IntegrationLeaderEvents etcdIntegrationLeaderEvents(EtcdLeaderInitiator initiator, ApplicationContext context) {
			return new IntegrationLeaderEvents(initiator, context);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	@ConditionalOnAvailableEndpoint(EtcdEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ElectionsEndpointSection etcdElectionsEndpointSection(EtcdLeaderElection election) {
			return new ElectionsEndpointSection(election);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LeaderMeterBinder etcdLeaderMeterBinder(EtcdLeaderElection election) {
			return new LeaderMeterBinder(election);
		}

	}

}
