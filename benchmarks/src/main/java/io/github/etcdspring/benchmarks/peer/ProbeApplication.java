package io.github.etcdspring.benchmarks.peer;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.context.config.annotation.RefreshScope;
import org.springframework.cloud.context.scope.refresh.RefreshScopeRefreshedEvent;
import org.springframework.cloud.endpoint.event.RefreshEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.Ordered;

/**
 * The one application that {@code PeerBenchmark} measures with either registry: the etcd
 * starter or Spring Cloud Zookeeper, the other one switched off by the arguments. It has
 * one {@code @RefreshScope} bean that reads {@value #PROPERTY} and a
 * {@link RefreshTimeline}.
 * <p>
 * {@code PeerBenchmark} starts it in its own JVM with {@link #start} (no web server) to
 * register, discover and refresh, and runs {@link #main} in fresh JVMs for the startup
 * figure: with {@code --probe.expect-registration=true} it waits (bounded, after the
 * measurement) until its own {@link DiscoveryClient} returns it, prints one line and
 * stops: {@value #RESULT_PREFIX}, then the milliseconds from the JVM's start to ready and
 * whether it found itself registered ({@code registered} or {@code none}).
 *
 * @author etcd-spring-boot contributors
 */
@SpringBootApplication
public class ProbeApplication {

	/**
	 * The property the {@code @RefreshScope} bean reads.
	 */
	public static final String PROPERTY = "bench.value";

	public static final String RESULT_PREFIX = "probe-result ";

	private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(10);

	@Bean
	@RefreshScope
	ProbeValue probeValue(@Value("${" + PROPERTY + ":none}") String value) {
		return new ProbeValue(value);
	}

	@Bean
	RefreshTimeline refreshTimeline() {
		return new RefreshTimeline();
	}

	/**
	 * Start the application in this JVM, without a web server.
	 * @param arguments command-line arguments
	 * @return the running application
	 */
	public static ConfigurableApplicationContext start(String... arguments) {
		return new SpringApplicationBuilder(ProbeApplication.class).web(WebApplicationType.NONE).run(arguments);
	}

	public static void main(String[] args) {
		try (ConfigurableApplicationContext context = SpringApplication.run(ProbeApplication.class, args)) {
			long jvmStartToReady = ManagementFactory.getRuntimeMXBean().getUptime();
			String registration = "none";
			if (context.getEnvironment().getProperty("probe.expect-registration", Boolean.class, false)) {
				String name = context.getEnvironment().getRequiredProperty("spring.application.name");
				DiscoveryClient discovery = context.getBean(DiscoveryClient.class);
				long deadline = System.nanoTime() + REGISTRATION_TIMEOUT.toNanos();
				while (discovery.getInstances(name).isEmpty() && System.nanoTime() - deadline < 0) {
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
				}
				registration = discovery.getInstances(name).isEmpty() ? "none" : "registered";
			}
			System.out.println(RESULT_PREFIX + jvmStartToReady + " " + registration);
		}
	}

	/**
	 * The {@code @RefreshScope} bean: created again on first use after each refresh.
	 */
	public static class ProbeValue {

		private final String value;

		public ProbeValue(String value) {
			this.value = value;
		}

		public String value() {
			return this.value;
		}

	}

	/**
	 * When the last {@link RefreshEvent} was published and the last refresh of the
	 * {@code @RefreshScope} beans ended ({@link System#nanoTime()}), and how many of each
	 * there were. Listens first, before Spring Cloud's own listeners.
	 */
	public static class RefreshTimeline implements SmartApplicationListener {

		private final AtomicInteger refreshEvents = new AtomicInteger();

		private final AtomicInteger refreshes = new AtomicInteger();

		private final AtomicLong refreshEventAt = new AtomicLong();

		private final AtomicLong refreshedAt = new AtomicLong();

		@Override
		public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
			return RefreshEvent.class.isAssignableFrom(eventType)
					|| RefreshScopeRefreshedEvent.class.isAssignableFrom(eventType);
		}

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			long now = System.nanoTime();
			if (event instanceof RefreshEvent) {
				this.refreshEventAt.set(now);
				this.refreshEvents.incrementAndGet();
			}
			else {
				this.refreshedAt.set(now);
				this.refreshes.incrementAndGet();
			}
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

		public int refreshEvents() {
			return this.refreshEvents.get();
		}

		public int refreshes() {
			return this.refreshes.get();
		}

		public long refreshEventAt() {
			return this.refreshEventAt.get();
		}

		public long refreshedAt() {
			return this.refreshedAt.get();
		}

	}

}
