package io.github.etcdspring.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import io.github.etcdspring.benchmarks.startup.StartupApplication;

import org.springframework.util.ClassUtils;

/**
 * Startup time that the starter adds to a Spring Boot application, non-web and (when
 * Spring MVC and Tomcat are on the class path) a servlet web application:
 * {@link StartupApplication} with {@code etcd.enabled=false}, and with the starter
 * connecting to a local etcd, reading the registry and registering itself
 * ({@code service.port} is set, so it registers once ready). Every measurement is a fresh
 * JVM on this JVM's class path, since class loading dominates startup; the two variants
 * alternate, after one unreported run of each. Then a few more JVMs of the non-web
 * application print the steps of the starter's startup (its beans, the catalog's first
 * read, registration, classes loaded).
 * <p>
 * Run with
 * {@code java -cp benchmarks.jar io.github.etcdspring.benchmarks.StartupBenchmark [runs]}.
 *
 * @author etcd-spring-boot contributors
 */
public final class StartupBenchmark {

	private static final int DEFAULT_RUNS = 10;

	private static final int BREAKDOWN_RUNS = 5;

	private StartupBenchmark() {
	}

	public static void main(String[] args) {
		int runs = (args.length > 0) ? Integer.parseInt(args[0]) : DEFAULT_RUNS;
		try (BenchmarkEtcd etcd = BenchmarkEtcd.start()) {
			List<String> disabled = List.of("--spring.application.name=startup", "--etcd.enabled=false");
			List<String> enabled = List.of("--spring.application.name=startup", "--etcd.endpoints=" + etcd.endpoint(),
					"--service.host=127.0.0.1", "--service.port=8080");
			compare("a minimal non-web application", runs, disabled, enabled);
			if (ClassUtils.isPresent("org.springframework.web.servlet.DispatcherServlet", null)
					&& ClassUtils.isPresent("org.apache.catalina.startup.Tomcat", null)) {
				compare("a minimal servlet web application (Tomcat, random port)", runs,
						with(disabled, StartupApplication.WEB_ARGUMENT),
						with(enabled, StartupApplication.WEB_ARGUMENT));
			}
			else {
				System.out.println("No web variant: Spring MVC or Tomcat is not on the class path");
				System.out.println();
			}
			breakdown(with(disabled, StartupApplication.BREAKDOWN_ARGUMENT),
					with(enabled, StartupApplication.BREAKDOWN_ARGUMENT));
		}
	}

	private static void compare(String application, int runs, List<String> disabled, List<String> enabled) {
		launch(disabled, "none");
		launch(enabled, "REGISTERED");
		List<Startup> withoutStarter = new ArrayList<>();
		List<Startup> withStarter = new ArrayList<>();
		for (int run = 0; run < runs; run++) {
			withoutStarter.add(launch(disabled, "none"));
			withStarter.add(launch(enabled, "REGISTERED"));
		}
		System.out.println("Startup of " + application + ", " + runs + " fresh JVMs each, in ms");
		System.out.println();
		System.out.println("| Interval | etcd.enabled=false: median (min-max) | starter active: median (min-max) "
				+ "| added (difference of the medians) |");
		System.out.println("|---|---:|---:|---:|");
		System.out.println(
				row("`SpringApplication.run` to context started", withoutStarter, withStarter, Startup::runToStarted));
		System.out.println(
				row("context started to ready (registration)", withoutStarter, withStarter, Startup::startedToReady));
		System.out.println(row("`SpringApplication.run` to ready", withoutStarter, withStarter, Startup::runToReady));
		System.out.println(row("JVM start to ready", withoutStarter, withStarter, Startup::jvmStartToReady));
		System.out.println();
	}

	/**
	 * The steps of the non-web application's startup, medians over fresh JVMs (the
	 * breakdown's own probes load a few classes, so these runs are not timed above).
	 */
	private static void breakdown(List<String> disabled, List<String> enabled) {
		Map<String, List<Long>> withoutStarter = new LinkedHashMap<>();
		Map<String, List<Long>> withStarter = new LinkedHashMap<>();
		for (int run = 0; run < BREAKDOWN_RUNS; run++) {
			launch(disabled, "none").steps().forEach((step, value) -> add(withoutStarter, step, value));
			launch(enabled, "REGISTERED").steps().forEach((step, value) -> add(withStarter, step, value));
		}
		System.out.println("Steps of the non-web application's startup, medians of " + BREAKDOWN_RUNS
				+ " fresh JVMs each (ms, or a count)");
		System.out.println();
		System.out.println("| Step | etcd.enabled=false | starter active |");
		System.out.println("|---|---:|---:|");
		withStarter.forEach((step, values) -> {
			List<Long> without = withoutStarter.get(step);
			System.out.println(
					"| " + step + " | " + ((without != null) ? median(without) : "-") + " | " + median(values) + " |");
		});
	}

	private static void add(Map<String, List<Long>> steps, String step, long value) {
		steps.computeIfAbsent(step, (name) -> new ArrayList<>()).add(value);
	}

	private static long median(List<Long> values) {
		return new Samples(values).median();
	}

	private static List<String> with(List<String> arguments, String argument) {
		List<String> all = new ArrayList<>(arguments);
		all.add(argument);
		return all;
	}

	private static Startup launch(List<String> arguments, String expectedRegistration) {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						System.getProperty("java.class.path"), StartupApplication.class.getName()));
		command.addAll(arguments);
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException("The application failed: " + command + "\n" + output);
			}
			String[] result = output.lines()
				.filter((line) -> line.startsWith(StartupApplication.RESULT_PREFIX))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("No result from " + command + "\n" + output))
				.substring(StartupApplication.RESULT_PREFIX.length())
				.split(" ");
			if (!result[3].equals(expectedRegistration)) {
				throw new IllegalStateException(
						"Registration " + result[3] + " instead of " + expectedRegistration + "\n" + output);
			}
			Map<String, Long> steps = new LinkedHashMap<>();
			output.lines().filter((line) -> line.startsWith(StartupApplication.STEP_PREFIX)).forEach((line) -> {
				String[] step = line.substring(StartupApplication.STEP_PREFIX.length()).split(" ", 2);
				steps.merge(step[1], Long.parseLong(step[0]), Long::sum);
			});
			return new Startup(Long.parseLong(result[0]), Long.parseLong(result[1]),
					TimeUnit.MILLISECONDS.toNanos(Long.parseLong(result[2])), steps);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + command, ex);
		}
	}

	private static String row(String label, List<Startup> withoutStarter, List<Startup> withStarter,
			ToLongFunction<Startup> measure) {
		Samples without = samples(withoutStarter, measure);
		Samples with = samples(withStarter, measure);
		return "| " + label + " | " + medianAndRange(without) + " | " + medianAndRange(with) + " | "
				+ millis(with.median() - without.median()) + " |";
	}

	private static Samples samples(List<Startup> startups, ToLongFunction<Startup> measure) {
		return new Samples(startups.stream().map(measure::applyAsLong).toList());
	}

	private static String medianAndRange(Samples samples) {
		return millis(samples.median()) + " (" + millis(samples.min()) + "-" + millis(samples.max()) + ")";
	}

	private static String millis(long nanos) {
		return Long.toString(Math.round(nanos / 1e6));
	}

	/**
	 * The durations of one startup, in nanoseconds.
	 */
	private record Startup(long runToStarted, long startedToReady, long jvmStartToReady, Map<String, Long> steps) {

		long runToReady() {
			return this.runToStarted + this.startedToReady;
		}

	}

}
