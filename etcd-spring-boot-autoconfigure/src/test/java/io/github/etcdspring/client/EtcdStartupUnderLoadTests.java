package io.github.etcdspring.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.etcd.jetcd.Client;
import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.etcdspring.test.EtcdKeys.put;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several applications start at once on a busy machine, the way a rollout starts pods on one node: each must connect
 * to an idle etcd that is up, both for its configuration import and for its client bean, however long the
 * client-side set-up (Netty, gRPC, TLS) takes, as long as it connects within {@code etcd.dial-timeout}.
 * <p>
 * The request timeout is short here so that the set-up under load takes longer than it, on any machine: an
 * application that gave its first call only the request timeout fails, one that waits for the connection up to the
 * dial timeout does not.
 */
class EtcdStartupUnderLoadTests {

	private static final int APPLICATIONS = 8;

	private static final int BUSY_THREADS = 4;

	private static final Duration BOUND = Duration.ofSeconds(120);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember();

	@ParameterizedTest(name = "configuration import: {0}")
	@ValueSource(booleans = { true, false })
	void applicationsStartingAtOnceUnderCpuLoadAllConnect(boolean configImport) throws Exception {
		put(etcd.client(), "config/application/load/marker", "from-etcd");
		AtomicBoolean loadOn = new AtomicBoolean(true);
		ExecutorService threads = Executors.newFixedThreadPool(APPLICATIONS + BUSY_THREADS);
		List<ConfigurableApplicationContext> started = new ArrayList<>();
		try {
			long loadEnd = System.nanoTime() + BOUND.toNanos();
			for (int i = 0; i < BUSY_THREADS; i++) {
				threads.execute(() -> spin(loadOn, loadEnd));
			}
			List<CompletableFuture<ConfigurableApplicationContext>> startups = IntStream.range(0, APPLICATIONS)
				.mapToObj((i) -> CompletableFuture.supplyAsync(() -> start(i, configImport), threads))
				.toList();
			List<String> failures = new ArrayList<>();
			for (CompletableFuture<ConfigurableApplicationContext> startup : startups) {
				try {
					started.add(startup.get(BOUND.toSeconds(), TimeUnit.SECONDS));
				}
				catch (java.util.concurrent.ExecutionException ex) {
					failures.add(ex.getCause().getClass().getSimpleName() + ": " + EtcdFailure.messageOf(ex));
				}
			}
			loadOn.set(false);
			assertThat(failures).as("applications that did not start out of " + APPLICATIONS).isEmpty();
			assertThat(started).allSatisfy((context) -> {
				assertThat(context.getEnvironment().getProperty("load.marker")).isEqualTo(configImport ? "from-etcd" : null);
				put(context.getBean(Client.class), "/load/" + context.getId(), "up");
			});
		}
		finally {
			loadOn.set(false);
			started.forEach(ConfigurableApplicationContext::close);
			threads.shutdownNow();
			threads.awaitTermination(30, TimeUnit.SECONDS);
		}
	}

	private static ConfigurableApplicationContext start(int index, boolean configImport) {
		String[] arguments = Stream
			.concat(Stream.of(etcd.springProperties()),
					Stream.of("spring.application.name=load-" + index, "spring.main.banner-mode=off",
							"spring.config.import=" + (configImport ? "etcd:" : ""),
							"etcd.config.enabled=" + configImport, "etcd.discovery.enabled=false", "service.enabled=false",
							"etcd.dial-timeout=60s", "etcd.request-timeout=300ms"))
			.map((property) -> "--" + property)
			.toArray(String[]::new);
		return new SpringApplicationBuilder(LoadTestApplication.class).web(WebApplicationType.NONE).run(arguments);
	}

	/**
	 * Keeps a core busy until the test ends, for at most the bound of the test.
	 */
	private static void spin(AtomicBoolean loadOn, long end) {
		while (loadOn.get() && System.nanoTime() < end) {
			Thread.onSpinWait();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class LoadTestApplication {

	}

}
