package io.github.etcdspring.client;

import java.util.Map;

import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class EtcdPasswordSanitizingTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().withAuthentication();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdAutoConfiguration.class, EtcdSanitizingAutoConfiguration.class,
				EndpointAutoConfiguration.class, ConfigurationPropertiesReportEndpointAutoConfiguration.class,
				EnvironmentEndpointAutoConfiguration.class))
		.withPropertyValues(etcd.springProperties())
		.withPropertyValues("etcd.username=" + EtcdCluster.USER, "etcd.password=" + EtcdCluster.USER_PASSWORD,
				"management.endpoint.configprops.show-values=always", "management.endpoint.env.show-values=always",
				"management.endpoints.jmx.exposure.include=configprops,env", "spring.jmx.enabled=true");

	@Test
	void passwordIsMaskedInConfigprops() {
		this.contextRunner.run((context) -> {
			var descriptor = context.getBean(ConfigurationPropertiesReportEndpoint.class).configurationProperties();
			Map<String, Object> etcdProperties = descriptor.getContexts()
				.values()
				.iterator()
				.next()
				.getBeans()
				.values()
				.stream()
				.filter((bean) -> "etcd".equals(bean.getPrefix()))
				.findFirst()
				.orElseThrow()
				.getProperties();
			assertThat(etcdProperties).containsEntry("username", EtcdCluster.USER)
				.containsEntry("password", "******");
		});
	}

	@Test
	void passwordIsMaskedInEnv() {
		this.contextRunner.run((context) -> {
			var property = context.getBean(EnvironmentEndpoint.class).environmentEntry("etcd.password");
			assertThat(property.getProperty().getValue()).isEqualTo("******");
			var username = context.getBean(EnvironmentEndpoint.class).environmentEntry("etcd.username");
			assertThat(username.getProperty().getValue()).isEqualTo(EtcdCluster.USER);
		});
	}

}
