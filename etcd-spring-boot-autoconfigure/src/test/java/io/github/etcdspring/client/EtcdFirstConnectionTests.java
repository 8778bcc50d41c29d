package io.github.etcdspring.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.etcdspring.test.EtcdKeys.get;
import static io.github.etcdspring.test.EtcdKeys.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The first call of a client at startup waits for a connection up to
 * {@code etcd.dial-timeout}, then gets {@code etcd.request-timeout} for itself: a first
 * connection that takes longer than the request timeout (a busy machine, an etcd that
 * accepts connections only a moment later) does not stop the startup.
 */
class EtcdFirstConnectionTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember();

	@Test
	void failFastWaitsForAConnectionMadeAfterTheRequestTimeout() throws Exception {
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0))) {
			proxy.cut();
			ApplicationContextRunner contextRunner = new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class))
				.withPropertyValues("etcd.endpoints=" + proxy.endpoint(), "etcd.request-timeout=500ms",
						"etcd.dial-timeout=30s");
			CompletableFuture<Throwable> startup = CompletableFuture.supplyAsync(() -> {
				Throwable[] failure = new Throwable[1];
				contextRunner.run((context) -> {
					failure[0] = context.getStartupFailure();
					if (failure[0] == null) {
						put(context.getBean(Client.class), "/first-connection/fail-fast", "started");
					}
				});
				return failure[0];
			});
			connectOnlyAfterARefusal(proxy);
			assertThat(startup.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isNull();
			assertThat(get(etcd.client(), "/first-connection/fail-fast")).isEqualTo("started");
		}
	}

	@Test
	void configurationImportWaitsForAConnectionMadeAfterTheRequestTimeout() throws Exception {
		put(etcd.client(), "config/first-connection/greeting", "from-etcd");
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0))) {
			proxy.cut();
			CompletableFuture<ConfigurableApplicationContext> startup = CompletableFuture.supplyAsync(
					() -> new SpringApplicationBuilder(ClientOnlyApplication.class).web(WebApplicationType.NONE)
						.run("--spring.main.banner-mode=off", "--spring.application.name=first-connection",
								"--spring.config.import=etcd:", "--etcd.endpoints=" + proxy.endpoint(),
								"--etcd.request-timeout=500ms", "--etcd.dial-timeout=30s"));
			connectOnlyAfterARefusal(proxy);
			try (ConfigurableApplicationContext context = startup.get(BOUND.toSeconds(), TimeUnit.SECONDS)) {
				assertThat(context.getEnvironment().getProperty("greeting")).isEqualTo("from-etcd");
			}
		}
	}

	/**
	 * The client's first connection attempt is refused, so that it connects only at its
	 * next attempt, after gRPC's reconnect backoff of about a second: longer than the
	 * request timeout.
	 */
	private static void connectOnlyAfterARefusal(TcpProxy proxy) {
		await().atMost(BOUND).until(() -> proxy.refusedConnections() > 0);
		proxy.restore();
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration(EtcdAutoConfiguration.class)
	static class ClientOnlyApplication {

	}

}
