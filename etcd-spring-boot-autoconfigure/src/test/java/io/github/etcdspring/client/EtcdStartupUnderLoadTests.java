package io.github.etcdspring.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.etcd.jetcd.Client;
import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.etcdspring.test.EtcdKeys.put;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several applications start at once on a busy machine, the way a rollout starts pods on
 * one node: each must connect to an idle etcd that is up, both for its configuration
 * import and for its client bean, however long the client-side set-up (Netty, gRPC, TLS)
 * takes, as long as it connects within {@code etcd.dial-timeout}.
 * <p>
 * The request timeout is short here so that the set-up under load takes longer than it,
 * on any machine: an application that gave its first call only the request timeout fails,
 * one that waits for the connection up to the dial timeout does not.
 */
class EtcdStartupUnderLoadTests {

	private static final int APPLICATIONS = 8;

	private static final int BUSY_THREADS = 4;

	private static final Duration BOUND = Duration.ofSeconds(120);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember();

	@Test
	void applicationsStartingAtOnceUnderCpuLoadAllConnect() throws Exception {
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
				.mapToObj((i) -> CompletableFuture.supplyAsync(() -> start(i), threads))
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
				assertThat(context.getEnvironment().getProperty("load.marker"))
					.isEqualTo(importsConfiguration(context) ? "from-etcd" : null);
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

	/**
	 * Half of the applications import their configuration, so that both the import's
	 * first read and the fail-fast check of the client bean make the first call of a
	 * client; the others only have the client bean.
	 */
	private static ConfigurableApplicationContext start(int index) {
		boolean configImport = index % 2 == 0;
		String[] arguments = Stream
			.concat(Stream.of(etcd.springProperties()), Stream.of("spring.application.name=load-" + index,
					"spring.main.banner-mode=off", "spring.config.import=" + (configImport ? "etcd:" : ""),
					"etcd.config.enabled=" + configImport, "etcd.dial-timeout=60s", "etcd.request-timeout=300ms"))
			.map((property) -> "--" + property)
			.toArray(String[]::new);
		SpringApplication application = new SpringApplicationBuilder(LoadTestApplication.class)
			.web(WebApplicationType.NONE)
			.application();
		// Logback's set-up is not thread-safe, and one JVM needs it once.
		application.setListeners(application.getListeners()
			.stream()
			.filter((listener) -> !(listener instanceof LoggingApplicationListener))
			.toList());
		return application.run(arguments);
	}

	/**
	 * Keeps a core busy until the test ends, for at most the bound of the test.
	 */
	private static void spin(AtomicBoolean loadOn, long end) {
		while (loadOn.get() && System.nanoTime() < end) {
			Thread.onSpinWait();
		}
	}

	private static boolean importsConfiguration(ConfigurableApplicationContext context) {
		return context.getEnvironment().getProperty("etcd.config.enabled", Boolean.class);
	}

	/**
	 * Only the client: the configuration import needs no auto-configuration.
	 */
	@SpringBootConfiguration
	@ImportAutoConfiguration(EtcdAutoConfiguration.class)
	static class LoadTestApplication {

	}

}
