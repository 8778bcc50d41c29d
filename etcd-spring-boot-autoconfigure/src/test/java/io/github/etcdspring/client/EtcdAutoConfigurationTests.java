package io.github.etcdspring.client;

import java.util.concurrent.atomic.AtomicBoolean;

import io.etcd.jetcd.Client;
import io.github.etcdspring.embedded.LocalEtcdServer;
import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.Ordered;

import static io.github.etcdspring.test.EtcdKeys.bytes;
import static io.github.etcdspring.test.EtcdKeys.get;
import static io.github.etcdspring.test.EtcdKeys.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class EtcdAutoConfigurationTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdAutoConfiguration.class,
				EtcdHealthContributorAutoConfiguration.class))
		.withPropertyValues(etcd.springProperties());

	@Test
	void clientPutsAndGetsKeys() {
		this.contextRunner.run((context) -> {
			Client client = context.getBean(Client.class);
			put(client, "/put-get/key", "value");
			assertThat(get(client, "/put-get/key")).isEqualTo("value");
		});
	}

	@Test
	void namespaceIsolatesTwoApplications() {
		this.contextRunner.withPropertyValues("etcd.namespace=/tenant-a").run((tenantA) -> {
			this.contextRunner.withPropertyValues("etcd.namespace=/tenant-b").run((tenantB) -> {
				put(tenantA.getBean(Client.class), "shared-name", "a");
				put(tenantB.getBean(Client.class), "shared-name", "b");
				assertThat(get(tenantA.getBean(Client.class), "shared-name")).isEqualTo("a");
				assertThat(get(tenantB.getBean(Client.class), "shared-name")).isEqualTo("b");
			});
		});
		assertThat(get(etcd.client(), "/tenant-a/shared-name")).isEqualTo("a");
		assertThat(get(etcd.client(), "/tenant-b/shared-name")).isEqualTo("b");
	}

	@Test
	void namespaceGetsATrailingSlashSoThatPrefixesDoNotOverlap() {
		this.contextRunner.withPropertyValues("etcd.namespace=app1").run((context) -> {
			put(context.getBean(Client.class), "key", "value");
		});
		assertThat(get(etcd.client(), "app1/key")).isEqualTo("value");
	}

	@Test
	void customizersChangeTheBuilderInTheirOrder() {
		this.contextRunner.withPropertyValues("etcd.namespace=/ignored")
			.withBean("second", EtcdClientBuilderCustomizer.class, () -> new NamespaceCustomizer("/second/", 2))
			.withBean("first", EtcdClientBuilderCustomizer.class, () -> new NamespaceCustomizer("/first/", 1))
			.run((context) -> put(context.getBean(Client.class), "customized", "yes"));
		assertThat(get(etcd.client(), "/second/customized")).isEqualTo("yes");
		assertThat(get(etcd.client(), "/ignored/customized")).isNull();
	}

	@Test
	void userDefinedClientWins() {
		try (Client own = etcd.newClient()) {
			this.contextRunner.withBean(Client.class, () -> own)
				.run((context) -> assertThat(context).getBean(Client.class).isSameAs(own));
		}
	}

	@Test
	void userDefinedConnectionDetailsWin() {
		this.contextRunner.withPropertyValues("etcd.endpoints=http://127.0.0.1:1")
			.withBean(EtcdConnectionDetails.class, () -> etcd::endpoints)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				put(context.getBean(Client.class), "/details/key", "ok");
			});
	}

	@Test
	void disabledCreatesNothing() {
		this.contextRunner.withPropertyValues("etcd.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(Client.class);
			assertThat(context).doesNotHaveBean(EtcdConnectionDetails.class);
			assertThat(context).doesNotHaveBean(EtcdProperties.class);
			assertThat(context).doesNotHaveBean(EtcdHealthIndicator.class);
		});
	}

	@Test
	void failFastStopsTheStartupWhenEtcdIsDown() {
		int deadPort = LocalEtcdServer.freePort();
		this.contextRunner.withPropertyValues("etcd.endpoints=127.0.0.1:" + deadPort, "etcd.dial-timeout=1s")
			.run((context) -> {
				assertThat(context).hasFailed();
				EtcdConnectionException failure = findCause(context.getStartupFailure(), EtcdConnectionException.class);
				assertThat(failure.getFailure()).isEqualTo(EtcdFailure.UNREACHABLE);
				assertThat(failure.getMessage()).contains("http://127.0.0.1:" + deadPort)
					.contains("etcd is unreachable")
					.contains("etcd.dial-timeout=PT1S");
				FailureAnalysis analysis = new EtcdConnectionFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getAction()).contains("etcd.fail-fast=false")
					.contains("apt-get install etcd-server");
			});
	}

	@Test
	void theFailFastCheckRunsWhileTheOtherBeansAreCreatedAndStillStopsTheStartup() {
		int deadPort = LocalEtcdServer.freePort();
		AtomicBoolean createdAfterTheClient = new AtomicBoolean();
		this.contextRunner.withPropertyValues("etcd.endpoints=127.0.0.1:" + deadPort, "etcd.dial-timeout=1s")
			.withBean("dependsOnTheClient", Object.class, () -> {
				createdAfterTheClient.set(true);
				return new Object();
			}, (definition) -> definition.setDependsOn("etcdClient"))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(createdAfterTheClient).as("a bean created after the client, before the check ended")
					.isTrue();
				EtcdConnectionException failure = findCause(context.getStartupFailure(), EtcdConnectionException.class);
				assertThat(failure.getFailure()).isEqualTo(EtcdFailure.UNREACHABLE);
				assertThat(failure.getMessage()).contains("etcd.dial-timeout=PT1S");
			});
	}

	@Test
	void aClientCreatedAfterStartupInALazyContextIsCheckedAtOnce() {
		int deadPort = LocalEtcdServer.freePort();
		this.contextRunner.withPropertyValues("etcd.endpoints=127.0.0.1:" + deadPort, "etcd.dial-timeout=1s")
			.withInitializer(
					(context) -> context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Throwable failure = catchThrowable(() -> context.getBean(Client.class));
				assertThat(findCause(failure, EtcdConnectionException.class).getFailure())
					.isEqualTo(EtcdFailure.UNREACHABLE);
			});
	}

	@Test
	void withoutFailFastTheApplicationStartsAndReportsEtcdDown() {
		int deadPort = LocalEtcdServer.freePort();
		this.contextRunner
			.withPropertyValues("etcd.endpoints=127.0.0.1:" + deadPort, "etcd.fail-fast=false",
					"etcd.request-timeout=1s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Health health = context.getBean(EtcdHealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("reason", "etcd is unreachable");
			});
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			etcd.endpoints                | http://good:2379,ftp://etcd:2379 | etcd.endpoints[1]
			etcd.endpoints                | http://etcd:2379/v3              | etcd.endpoints[0]
			etcd.dial-timeout             | -1s                              | etcd.dial-timeout
			etcd.request-timeout          | 0s                               | etcd.request-timeout
			etcd.keep-alive-time          | 0ms                              | etcd.keep-alive-time
			etcd.keep-alive-timeout       | -5s                              | etcd.keep-alive-timeout
			etcd.retry.max-attempts       | -1                               | etcd.retry.max-attempts
			etcd.retry.delay              | -1ms                             | etcd.retry.delay
			etcd.retry.delay              | 0                                | etcd.retry.delay
			etcd.retry.max-delay          | 100ms                            | etcd.retry.max-delay
			etcd.retry.max-duration       | 0s                               | etcd.retry.max-duration
			etcd.max-inbound-message-size | 0B                               | etcd.max-inbound-message-size
			etcd.ssl.bundle               | no-such-bundle                   | etcd.ssl.bundle
			""")
	void invalidValueIsRejectedNamingTheProperty(String property, String value, String namedProperty) {
		this.contextRunner.withPropertyValues(property + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(namedProperty);
		});
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			etcd.dial-timeout    | five seconds
			etcd.retry.max-attempts | many
			etcd.max-inbound-message-size | huge
			etcd.fail-fast       | maybe
			""")
	void unconvertibleValueIsRejectedNamingTheProperty(String property, String value) {
		this.contextRunner.withPropertyValues(property + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining(property);
		});
	}

	@Test
	void credentialsMustComeInPairs() {
		this.contextRunner.withPropertyValues("etcd.username=someone").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("etcd.password")
				.hasMessageContaining("must be set together");
		});
	}

	static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		throw new AssertionError("No " + type.getSimpleName() + " in the causes of " + failure, failure);
	}

	record NamespaceCustomizer(String namespace, int order) implements EtcdClientBuilderCustomizer, Ordered {

		@Override
		public void customize(io.etcd.jetcd.ClientBuilder builder) {
			builder.namespace(bytes(this.namespace));
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

}
