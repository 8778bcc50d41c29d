package io.github.etcdspring.client;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class EtcdPasswordSanitizingTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().withAuthentication();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdAutoConfiguration.class,
				EtcdSanitizingAutoConfiguration.class, EndpointAutoConfiguration.class,
				ConfigurationPropertiesReportEndpointAutoConfiguration.class,
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
			assertThat(etcdProperties).containsEntry("username", EtcdCluster.USER).containsEntry("password", "******");
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

	/**
	 * The README's pattern: {@code etcd.password: ${ETCD_PASSWORD}} in the application's
	 * configuration, the password in the process environment. The environment is shown by
	 * its own names ({@code ETCD_PASSWORD}), which the key {@code etcd.password} does not
	 * match.
	 */
	@Test
	void passwordFromAnEnvironmentVariableIsMaskedEverywhereInEnvAndConfigprops() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdAutoConfiguration.class,
					EtcdSanitizingAutoConfiguration.class, EndpointAutoConfiguration.class,
					ConfigurationPropertiesReportEndpointAutoConfiguration.class,
					EnvironmentEndpointAutoConfiguration.class))
			.withInitializer(withEnvironmentVariables(Map.of("ETCD_PASSWORD", EtcdCluster.USER_PASSWORD,
					"ETCD_USERNAME", EtcdCluster.USER, "etcd_Password", EtcdCluster.USER_PASSWORD)))
			.withPropertyValues(etcd.springProperties())
			.withPropertyValues("etcd.username=${ETCD_USERNAME}", "etcd.password=${ETCD_PASSWORD}",
					"management.endpoint.configprops.show-values=always", "management.endpoint.env.show-values=always",
					"management.endpoints.jmx.exposure.include=configprops,env", "spring.jmx.enabled=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				var environment = context.getBean(EnvironmentEndpoint.class).environment(null);
				List<String> shown = environment.getPropertySources()
					.stream()
					.flatMap((source) -> source.getProperties().entrySet().stream())
					.map((entry) -> entry.getKey() + "=" + entry.getValue().getValue())
					.toList();
				assertThat(shown).contains("ETCD_USERNAME=" + EtcdCluster.USER, "ETCD_PASSWORD=******",
						"etcd_Password=******");
				assertThat(shown).noneMatch((entry) -> entry.contains(EtcdCluster.USER_PASSWORD));
				assertThat(context.getBean(EnvironmentEndpoint.class)
					.environmentEntry("ETCD_PASSWORD")
					.getProperty()
					.getValue()).isEqualTo("******");
				var configprops = context.getBean(ConfigurationPropertiesReportEndpoint.class)
					.configurationProperties();
				assertThat(configprops.getContexts().values().iterator().next().getBeans().values())
					.allSatisfy((bean) -> assertThat(String.valueOf(bean.getProperties()))
						.doesNotContain(EtcdCluster.USER_PASSWORD));
			});
	}

	@Test
	void aRejectedPasswordIsNeitherLoggedNorInTheStartupFailure(CapturedOutput output) {
		String wrongPassword = "not-the-app-secret-5f3a";
		this.contextRunner.withPropertyValues("etcd.password=" + wrongPassword).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("rejected the credentials");
			assertThat(stackTrace(context.getStartupFailure())).doesNotContain(wrongPassword);
		});
		assertThat(output).doesNotContain(wrongPassword);
	}

	private static String stackTrace(Throwable failure) {
		StringWriter writer = new StringWriter();
		failure.printStackTrace(new PrintWriter(writer));
		return writer.toString();
	}

	/**
	 * Environment variables as Spring Boot sees them: a
	 * {@link SystemEnvironmentPropertySource} in place of the process environment,
	 * attached to configuration property names like the real one.
	 */
	private static ApplicationContextInitializer<ConfigurableApplicationContext> withEnvironmentVariables(
			Map<String, Object> variables) {
		return (context) -> {
			var propertySources = context.getEnvironment().getPropertySources();
			propertySources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							variables));
			ConfigurationPropertySources.attach(context.getEnvironment());
		};
	}

}
