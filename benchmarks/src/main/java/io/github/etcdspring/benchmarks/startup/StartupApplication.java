package io.github.etcdspring.benchmarks.startup;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

import io.github.etcdspring.registry.EtcdServiceRegistry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A minimal non-web application that the
 * {@link io.github.etcdspring.benchmarks.StartupBenchmark} starts in a JVM of its own.
 * Once ready it prints one line and stops: {@value #RESULT_PREFIX}, then the nanoseconds
 * from {@link SpringApplication#run} to the context having started, from there to ready
 * (when a non-web application registers), the milliseconds from the JVM's start to ready,
 * and the state of the etcd registration ({@code none} without the starter).
 *
 * @author etcd-spring-boot contributors
 */
@SpringBootApplication
public class StartupApplication {

	public static final String RESULT_PREFIX = "startup-result ";

	public static void main(String[] args) {
		long start = System.nanoTime();
		AtomicLong started = new AtomicLong();
		SpringApplication application = new SpringApplication(StartupApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application
			.addListeners((ApplicationListener<ApplicationStartedEvent>) (event) -> started.set(System.nanoTime()));
		try (ConfigurableApplicationContext context = application.run(args)) {
			long ready = System.nanoTime();
			long jvmStartToReady = ManagementFactory.getRuntimeMXBean().getUptime();
			String registration = context.getBeanProvider(EtcdServiceRegistry.class)
				.stream()
				.map(EtcdServiceRegistry::getState)
				.findFirst()
				.orElse("none");
			System.out.println(RESULT_PREFIX + (started.get() - start) + " " + (ready - started.get()) + " "
					+ jvmStartToReady + " " + registration);
		}
	}

}
