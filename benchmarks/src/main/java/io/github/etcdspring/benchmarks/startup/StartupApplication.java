package io.github.etcdspring.benchmarks.startup;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.etcdspring.discovery.EtcdServiceCatalog;
import io.github.etcdspring.registry.EtcdServiceRegistry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.metrics.StartupStep;

/**
 * A minimal application that the {@link io.github.etcdspring.benchmarks.StartupBenchmark}
 * starts in a JVM of its own: non-web, or a servlet web application on a random port with
 * {@value #WEB_ARGUMENT} (when Spring MVC and an embedded server are on the class path).
 * Once ready it prints one line and stops: {@value #RESULT_PREFIX}, then the nanoseconds
 * from {@link SpringApplication#run} to the context having started, from there to ready
 * (when the application registers), the milliseconds from the JVM's start to ready, and
 * the state of the etcd registration ({@code none} without the starter).
 * <p>
 * With {@value #BREAKDOWN_ARGUMENT} it also prints {@value #STEP_PREFIX} lines, one per
 * step of the starter's startup, in milliseconds: every bean of the starter that took 1
 * ms or more to create, the catalog's first read (the lifecycle phase of the catalog),
 * registration (started to ready), and the number of classes loaded.
 *
 * @author etcd-spring-boot contributors
 */
@SpringBootApplication
public class StartupApplication {

	public static final String RESULT_PREFIX = "startup-result ";

	public static final String STEP_PREFIX = "startup-step ";

	/** Starts a servlet web application on a random port. */
	public static final String WEB_ARGUMENT = "--startup.web";

	/** Prints the steps. */
	public static final String BREAKDOWN_ARGUMENT = "--startup.breakdown";

	private static final Map<String, Long> moments = new LinkedHashMap<>();

	public static void main(String[] args) {
		long start = System.nanoTime();
		boolean web = Arrays.asList(args).contains(WEB_ARGUMENT);
		boolean breakdown = Arrays.asList(args).contains(BREAKDOWN_ARGUMENT);
		AtomicLong started = new AtomicLong();
		SpringApplication application = new SpringApplication(StartupApplication.class);
		application.setWebApplicationType(web ? WebApplicationType.SERVLET : WebApplicationType.NONE);
		BufferingApplicationStartup steps = new BufferingApplicationStartup(100_000);
		if (breakdown) {
			application.setApplicationStartup(steps);
			application.addPrimarySources(List.of(Probes.class));
		}
		application
			.addListeners((ApplicationListener<ApplicationStartedEvent>) (event) -> started.set(System.nanoTime()));
		String[] arguments = web ? withArgument(args, "--server.port=0") : args;
		try (ConfigurableApplicationContext context = application.run(arguments)) {
			long ready = System.nanoTime();
			long jvmStartToReady = ManagementFactory.getRuntimeMXBean().getUptime();
			String registration = context.getBeanProvider(EtcdServiceRegistry.class)
				.stream()
				.map(EtcdServiceRegistry::getState)
				.findFirst()
				.orElse("none");
			if (breakdown) {
				printSteps(steps, ready - started.get());
			}
			System.out.println(RESULT_PREFIX + (started.get() - start) + " " + (ready - started.get()) + " "
					+ jvmStartToReady + " " + registration);
		}
	}

	private static String[] withArgument(String[] args, String argument) {
		String[] all = Arrays.copyOf(args, args.length + 1);
		all[args.length] = argument;
		return all;
	}

	private static void printSteps(BufferingApplicationStartup steps, long registrationNanos) {
		for (var step : steps.getBufferedTimeline().getEvents()) {
			if (step.getStartupStep().getName().equals("spring.beans.instantiate")) {
				String bean = beanName(step.getStartupStep());
				long millis = step.getDuration().toMillis();
				if (bean.toLowerCase(Locale.ROOT).contains("etcd") && millis >= 1) {
					print("bean " + bean, millis);
				}
			}
		}
		Long before = moments.get("before catalog");
		Long after = moments.get("after catalog");
		if (before != null && after != null) {
			print("catalog start (first read)", TimeUnit.NANOSECONDS.toMillis(after - before));
		}
		print("registration (started to ready)", TimeUnit.NANOSECONDS.toMillis(registrationNanos));
		print("classes loaded", ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
	}

	private static String beanName(StartupStep step) {
		for (StartupStep.Tag tag : step.getTags()) {
			if (tag.getKey().equals("beanName")) {
				return tag.getValue();
			}
		}
		return "?";
	}

	private static void print(String step, long value) {
		System.out.println(STEP_PREFIX + value + " " + step);
	}

	private static synchronized void record(String moment) {
		moments.put(moment, System.nanoTime());
	}

	/**
	 * The beans that take the moments of the breakdown, only in that mode, so that they
	 * load no class otherwise.
	 */
	static final class Probes {

		@Bean
		SmartLifecycle beforeCatalog() {
			return new Moment("before catalog", EtcdServiceCatalog.PHASE - 1);
		}

		@Bean
		SmartLifecycle afterCatalog() {
			return new Moment("after catalog", EtcdServiceCatalog.PHASE + 1);
		}

	}

	/**
	 * Records the moment its lifecycle phase starts.
	 */
	private static final class Moment implements SmartLifecycle {

		private final String name;

		private final int phase;

		private volatile boolean running;

		Moment(String name, int phase) {
			this.name = name;
			this.phase = phase;
		}

		@Override
		public void start() {
			record(this.name);
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return this.phase;
		}

	}

}
