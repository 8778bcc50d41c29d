package io.github.etcdspring.client;

import io.etcd.jetcd.Client;
import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.etcdspring.client.EtcdAutoConfigurationTests.findCause;
import static io.github.etcdspring.test.EtcdKeys.get;
import static io.github.etcdspring.test.EtcdKeys.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EtcdAuthenticationTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().withAuthentication();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdAutoConfiguration.class,
				EtcdHealthContributorAutoConfiguration.class))
		.withPropertyValues(etcd.springProperties());

	@Test
	void userWithPasswordReadsAndWritesItsNamespace() {
		this.contextRunner
			.withPropertyValues("etcd.username=" + EtcdCluster.USER, "etcd.password=" + EtcdCluster.USER_PASSWORD,
					"etcd.namespace=" + EtcdCluster.USER_PREFIX)
			.run((context) -> {
				Client client = context.getBean(Client.class);
				put(client, "greeting", "hello");
				assertThat(get(client, "greeting")).isEqualTo("hello");
				Health health = context.getBean(EtcdHealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
			});
		assertThat(get(etcd.client(), EtcdCluster.USER_PREFIX + "greeting")).isEqualTo("hello");
	}

	@Test
	void keysOutsideTheGrantedPrefixAreDeniedAsSuch() {
		this.contextRunner
			.withPropertyValues("etcd.username=" + EtcdCluster.USER, "etcd.password=" + EtcdCluster.USER_PASSWORD)
			.run((context) -> {
				Client client = context.getBean(Client.class);
				assertThatThrownBy(() -> put(client, "/elsewhere/key", "value"))
					.satisfies((ex) -> assertThat(EtcdFailure.of(ex)).isEqualTo(EtcdFailure.PERMISSION_DENIED));
			});
	}

	@Test
	void wrongPasswordStopsTheStartupWithAClearMessage() {
		this.contextRunner.withPropertyValues("etcd.username=" + EtcdCluster.USER, "etcd.password=wrong")
			.run((context) -> {
				assertThat(context).hasFailed();
				EtcdConnectionException failure = findCause(context.getStartupFailure(), EtcdConnectionException.class);
				assertThat(failure.getFailure()).isEqualTo(EtcdFailure.AUTHENTICATION_FAILED);
				assertThat(failure.getMessage()).contains(etcd.endpoints().get(0).toString())
					.contains("etcd rejected the credentials");
				assertThat(new EtcdConnectionFailureAnalyzer().analyze(context.getStartupFailure()).getAction())
					.contains("etcd.username and etcd.password");
			});
	}

	@Test
	void wrongPasswordWithoutFailFastIsReportedByTheHealthIndicator() {
		this.contextRunner
			.withPropertyValues("etcd.username=" + EtcdCluster.USER, "etcd.password=wrong", "etcd.fail-fast=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Health health = context.getBean(EtcdHealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("reason", "etcd rejected the credentials");
			});
	}

	@Test
	void passwordIsNeverLoggedByTheConnectionError() {
		this.contextRunner.withPropertyValues("etcd.username=" + EtcdCluster.USER, "etcd.password=s3cr3t-value")
			.run((context) -> assertThat(context.getStartupFailure()).hasStackTraceContaining("etcd rejected")
				.satisfies((ex) -> assertThat(stackTrace(ex)).doesNotContain("s3cr3t-value")));
	}

	private static String stackTrace(Throwable throwable) {
		java.io.StringWriter writer = new java.io.StringWriter();
		throwable.printStackTrace(new java.io.PrintWriter(writer));
		return writer.toString();
	}

}
