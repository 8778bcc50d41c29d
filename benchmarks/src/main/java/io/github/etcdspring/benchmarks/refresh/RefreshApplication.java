package io.github.etcdspring.benchmarks.refresh;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.cloud.context.config.annotation.RefreshScope;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.context.scope.refresh.RefreshScopeRefreshedEvent;
import org.springframework.cloud.endpoint.event.RefreshEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * A minimal non-web application that imports its configuration from etcd
 * ({@code spring.config.import=etcd:}, given by the benchmarks) and has one
 * {@code @RefreshScope} bean that reads {@value #PROPERTY}. A {@link RefreshTimeline}
 * records when each step of a refresh happens.
 * <p>
 * {@code RefreshLatencyBenchmark} and {@code RefreshCostBenchmark} start it in their own
 * JVM with {@link #start}; {@code ConfigStartupBenchmark} runs {@link #main} in a fresh
 * JVM, which starts it, prints one line and stops: {@value #RESULT_PREFIX}, then the
 * nanoseconds from {@link SpringApplication#run} to the environment having been prepared
 * (the etcd import is part of it), to the context having started, from there to ready,
 * the milliseconds from the JVM's start to ready, and how many properties the
 * {@code etcd:config/application} property source holds ({@code none} without it).
 *
 * @author etcd-spring-boot contributors
 */
@SpringBootApplication
public class RefreshApplication {

	/**
	 * The property the {@code @RefreshScope} bean reads.
	 */
	public static final String PROPERTY = "bench.value";

	public static final String RESULT_PREFIX = "config-startup-result ";

	/**
	 * The property source of the shared context, {@code config/application/}.
	 */
	public static final String SHARED_SOURCE = "etcd:config/application";

	@Bean
	@RefreshScope
	RefreshedValue refreshedValue(@Value("${" + PROPERTY + ":none}") String value) {
		return new RefreshedValue(value);
	}

	@Bean
	RefreshTimeline refreshTimeline() {
		return new RefreshTimeline();
	}

	/**
	 * Start the application in this JVM.
	 * @param arguments command-line arguments
	 * @return the running application
	 */
	public static ConfigurableApplicationContext start(String... arguments) {
		return new SpringApplicationBuilder(RefreshApplication.class).web(WebApplicationType.NONE).run(arguments);
	}

	public static void main(String[] args) {
		long start = System.nanoTime();
		AtomicLong environmentPrepared = new AtomicLong();
		AtomicLong started = new AtomicLong();
		SpringApplication application = new SpringApplication(RefreshApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.addListeners(
				(ApplicationListener<ApplicationEnvironmentPreparedEvent>) (event) -> environmentPrepared
					.set(System.nanoTime()),
				(ApplicationListener<ApplicationStartedEvent>) (event) -> started.set(System.nanoTime()));
		try (ConfigurableApplicationContext context = application.run(args)) {
			long ready = System.nanoTime();
			long jvmStartToReady = ManagementFactory.getRuntimeMXBean().getUptime();
			PropertySource<?> shared = context.getEnvironment().getPropertySources().get(SHARED_SOURCE);
			String properties = (shared instanceof EnumerablePropertySource<?> enumerable)
					? Integer.toString(enumerable.getPropertyNames().length) : "none";
			// the bean is created on first use, with the configuration loaded from etcd
			context.getBean(RefreshedValue.class).value();
			System.out.println(RESULT_PREFIX + (environmentPrepared.get() - start) + " " + (started.get() - start) + " "
					+ (ready - started.get()) + " " + jvmStartToReady + " " + properties);
		}
	}

	/**
	 * The {@code @RefreshScope} bean: created again on first use after each refresh.
	 */
	public static class RefreshedValue {

		private final String value;

		public RefreshedValue(String value) {
			this.value = value;
		}

		public String value() {
			return this.value;
		}

	}

	/**
	 * The CPU time and the bytes allocated by a thread so far.
	 *
	 * @param cpuNanos CPU time in nanoseconds
	 * @param allocatedBytes allocated bytes
	 */
	public record ThreadCost(long cpuNanos, long allocatedBytes) {

		private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();

		/**
		 * The cost of the current thread so far.
		 * @return its cost
		 */
		public static ThreadCost current() {
			return new ThreadCost(THREADS.getCurrentThreadCpuTime(), THREADS.getCurrentThreadAllocatedBytes());
		}

		/**
		 * The cost of a thread so far.
		 * @param thread a live thread
		 * @return its cost
		 */
		public static ThreadCost of(Thread thread) {
			return new ThreadCost(THREADS.getThreadCpuTime(thread.getId()),
					THREADS.getThreadAllocatedBytes(thread.getId()));
		}

	}

	/**
	 * When the last refresh reached each step, in {@link System#nanoTime()}, taken by
	 * listeners that run before all others of the same event: the {@link RefreshEvent}
	 * published (by the etcd watcher in {@code etcd.config.watch.refresh-mode=full}, once
	 * it read a difference; there is none in place), the {@link EnvironmentChangeEvent}
	 * (the property sources hold the new configuration: Spring Cloud loaded it again, or
	 * the watcher updated its sources in place; {@code @ConfigurationProperties} beans
	 * are rebound after it) and the {@link RefreshScopeRefreshedEvent} (the refresh scope
	 * dropped its beans: the refresh is over); and the CPU time and allocation of the
	 * refreshing thread at each of them. Refreshes are counted by their
	 * {@link EnvironmentChangeEvent}, published once per refresh in either mode.
	 */
	public static class RefreshTimeline implements SmartApplicationListener {

		private final AtomicInteger refreshes = new AtomicInteger();

		private volatile long refreshEventAt;

		private volatile long environmentChangedAt;

		private volatile long scopeRefreshedAt;

		private volatile Thread refreshThread;

		private final ThreadCost[] costs = new ThreadCost[3];

		@Override
		public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
			return RefreshEvent.class.isAssignableFrom(eventType)
					|| EnvironmentChangeEvent.class.isAssignableFrom(eventType)
					|| RefreshScopeRefreshedEvent.class.isAssignableFrom(eventType);
		}

		@Override
		public synchronized void onApplicationEvent(ApplicationEvent event) {
			long now = System.nanoTime();
			ThreadCost cost = ThreadCost.current();
			if (event instanceof RefreshEvent) {
				this.costs[0] = cost;
				this.refreshEventAt = now;
			}
			else if (event instanceof EnvironmentChangeEvent) {
				this.costs[1] = cost;
				this.refreshThread = Thread.currentThread();
				this.environmentChangedAt = now;
				this.refreshes.incrementAndGet();
			}
			else {
				this.costs[2] = cost;
				this.scopeRefreshedAt = now;
			}
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

		/**
		 * Forget the moments of the previous refresh.
		 */
		public synchronized void reset() {
			this.costs[0] = null;
			this.refreshEventAt = 0;
			this.environmentChangedAt = 0;
			this.scopeRefreshedAt = 0;
		}

		/**
		 * The CPU time and allocated bytes of the refreshing thread when the last refresh
		 * reached a step; read them after {@link #scopeRefreshedAt()} became non-zero.
		 * @param step 0 for the {@link RefreshEvent}, 1 for the
		 * {@link EnvironmentChangeEvent}, 2 for the {@link RefreshScopeRefreshedEvent}
		 * @return the cost so far, {@code null} for a step the refresh does not have
		 */
		public synchronized @Nullable ThreadCost cost(int step) {
			return this.costs[step];
		}

		/**
		 * The refreshes so far.
		 * @return the number of {@link EnvironmentChangeEvent}s
		 */
		public int refreshes() {
			return this.refreshes.get();
		}

		/**
		 * When the watcher published its {@link RefreshEvent}.
		 * @return the moment, 0 in place
		 */
		public long refreshEventAt() {
			return this.refreshEventAt;
		}

		public long environmentChangedAt() {
			return this.environmentChangedAt;
		}

		public long scopeRefreshedAt() {
			return this.scopeRefreshedAt;
		}

		/**
		 * The thread that published the last {@link EnvironmentChangeEvent}, on which the
		 * whole refresh ran.
		 * @return the thread, or {@code null} before the first refresh
		 */
		public Thread refreshThread() {
			return this.refreshThread;
		}

	}

}
