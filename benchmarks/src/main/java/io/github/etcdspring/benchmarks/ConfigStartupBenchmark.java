package io.github.etcdspring.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdspring.benchmarks.refresh.RefreshApplication;
import io.github.etcdspring.config.EtcdConfigContext;
import io.github.etcdspring.config.EtcdConfigContexts;
import io.github.etcdspring.config.EtcdConfigProperties;
import io.github.etcdspring.config.EtcdConfigReader;
import io.github.etcdspring.config.EtcdPropertySource;

/**
 * What loading 1,000 keys from etcd adds to the startup of an application that imports
 * its configuration with {@code spring.config.import=etcd:}, and how long reading them
 * takes.
 * <p>
 * {@link RefreshApplication} starts in a fresh JVM each time
 * ({@code java -cp benchmarks.jar}, default JVM flags), in three variants that alternate,
 * after one unreported run of each: without the {@code etcd:} import (the starter's
 * client is still created), with the import and no keys in etcd, and with the import and
 * 1,000 {@code KEY_VALUE} keys under {@code config/application/} (33 bytes of key and 32
 * of value each). The keys are deleted and written again before each run that needs them
 * gone or present; the application checks how many properties it loaded. After each run
 * with the import, {@link FirstRead} reads the same contexts with a new client in a fresh
 * JVM, twice, as the import does at startup, which isolates the read from the noise of
 * the rest of the startup.
 * <p>
 * Then, in this JVM, {@link EtcdConfigReader#read} of the same two contexts
 * ({@code config/application/} and {@code config/refresh/}) with the 1,000 keys and with
 * none, {@value #READS} times each after {@value #WARMUP_READS} unreported reads, next to
 * a plain jetcd range read of the 1,000 keys (etcd's part).
 * <p>
 * Run with
 * {@code java -cp benchmarks.jar io.github.etcdspring.benchmarks.ConfigStartupBenchmark [runs]}:
 * runs per variant (default {@value #DEFAULT_RUNS}, at most {@value #MAX_RUNS}).
 *
 * @author etcd-spring-boot contributors
 */
public final class ConfigStartupBenchmark {

	private static final int KEYS = 1000;

	private static final int DEFAULT_RUNS = 10;

	private static final int MAX_RUNS = 50;

	private static final int WARMUP_READS = 200;

	private static final int READS = 200;

	private static final Duration APPLICATION_TIMEOUT = Duration.ofSeconds(60);

	private ConfigStartupBenchmark() {
	}

	public static void main(String[] args) {
		int runs = (args.length > 0) ? Integer.parseInt(args[0]) : DEFAULT_RUNS;
		if (runs < 1 || runs > MAX_RUNS) {
			throw new IllegalArgumentException("runs must be from 1 to " + MAX_RUNS);
		}
		try (BenchmarkEtcd etcd = BenchmarkEtcd.start(); Client client = etcd.newClient()) {
			List<String> withoutImport = ConfigBenchmarks.arguments(etcd.endpoint(), "refresh", false);
			List<String> withImport = ConfigBenchmarks.arguments(etcd.endpoint(), "refresh", true);
			List<List<Startup>> results = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
			List<List<FirstReads>> firstReads = List.of(new ArrayList<>(), new ArrayList<>());
			for (int run = -1; run < runs; run++) {
				Startup none = launch(withoutImport, "none");
				ConfigBenchmarks.deletePrefix(client, ConfigBenchmarks.SHARED_CONTEXT);
				Startup empty = launch(withImport, "0");
				FirstReads emptyReads = firstReads(etcd.endpoint(), 0);
				ConfigBenchmarks.writeKeys(client, ConfigBenchmarks.SHARED_CONTEXT, KEYS);
				Startup full = launch(withImport, Integer.toString(KEYS));
				FirstReads fullReads = firstReads(etcd.endpoint(), KEYS);
				if (run >= 0) {
					results.get(0).add(none);
					results.get(1).add(empty);
					results.get(2).add(full);
					firstReads.get(0).add(emptyReads);
					firstReads.get(1).add(fullReads);
				}
			}
			printStartups(runs, results);
			System.out.println();
			printFirstReads(runs, firstReads);
			System.out.println();
			printReads(client);
		}
	}

	private static void printStartups(int runs, List<List<Startup>> results) {
		System.out.println("Startup of a minimal non-web application, " + runs
				+ " fresh JVMs per variant, in ms: median (min-max)");
		System.out.println();
		System.out.println("| Interval | no `etcd:` import | import, 0 keys | import, " + KEYS + " keys | " + KEYS
				+ " keys minus 0 keys (medians) |");
		System.out.println("|---|---:|---:|---:|---:|");
		System.out.println(row("`SpringApplication.run` to environment prepared (includes the import)", results,
				Startup::runToEnvironment));
		System.out.println(row("`SpringApplication.run` to context started", results, Startup::runToStarted));
		System.out.println(row("context started to ready", results, Startup::startedToReady));
		System.out.println(row("`SpringApplication.run` to ready", results, Startup::runToReady));
		System.out.println(row("JVM start to ready", results, Startup::jvmStartToReady));
	}

	private static void printReads(Client client) {
		EtcdConfigReader reader = new EtcdConfigReader(client, BenchmarkRegistry.REQUEST_TIMEOUT);
		List<EtcdConfigContext> contexts = EtcdConfigContexts.automatic(new EtcdConfigProperties(), "refresh",
				List.of());
		GetOption prefix = GetOption.builder().isPrefix(true).build();
		List<Long> fullReads = new ArrayList<>();
		List<Long> rawReads = new ArrayList<>();
		List<Long> emptyReads = new ArrayList<>();
		// the keys are in etcd: the last run wrote them
		long firstRead = timeRead(reader, contexts, KEYS);
		for (int i = 0; i < WARMUP_READS + READS; i++) {
			long read = timeRead(reader, contexts, KEYS);
			long start = System.nanoTime();
			long count = BenchmarkRegistry
				.await(client.getKVClient().get(ConfigBenchmarks.bytes(ConfigBenchmarks.SHARED_CONTEXT), prefix))
				.getKvs()
				.size();
			long raw = System.nanoTime() - start;
			if (count != KEYS) {
				throw new IllegalStateException(count + " keys instead of " + KEYS);
			}
			if (i >= WARMUP_READS) {
				fullReads.add(read);
				rawReads.add(raw);
			}
		}
		ConfigBenchmarks.deletePrefix(client, ConfigBenchmarks.SHARED_CONTEXT);
		for (int i = 0; i < WARMUP_READS + READS; i++) {
			long read = timeRead(reader, contexts, 0);
			if (i >= WARMUP_READS) {
				emptyReads.add(read);
			}
		}
		System.out.println("Reading the contexts config/application/ and config/refresh/ in this JVM, " + READS
				+ " reads after " + WARMUP_READS + " unreported ones, in ms");
		System.out.println();
		System.out.println("| Read | median | p90 | p99 | max |");
		System.out.println("|---|---:|---:|---:|---:|");
		System.out.println(new Samples(fullReads).millisRow("`EtcdConfigReader.read`, " + KEYS + " keys"));
		System.out.println(new Samples(rawReads).millisRow("plain jetcd range read of the same " + KEYS + " keys"));
		System.out.println(new Samples(emptyReads).millisRow("`EtcdConfigReader.read`, 0 keys"));
		System.out.println();
		System.out.println("The first `EtcdConfigReader.read` of " + KEYS + " keys in this JVM (not warmed up): "
				+ Samples.millis(firstRead) + " ms");
	}

	private static long timeRead(EtcdConfigReader reader, List<EtcdConfigContext> contexts, int expectedKeys) {
		long start = System.nanoTime();
		List<EtcdPropertySource> sources = reader.read(contexts, null);
		long nanos = System.nanoTime() - start;
		if (sources.get(0).getPropertyNames().length != expectedKeys) {
			throw new IllegalStateException(
					sources.get(0).getPropertyNames().length + " properties instead of " + expectedKeys);
		}
		return nanos;
	}

	private static Startup launch(List<String> arguments, String expectedProperties) {
		String[] result = run(RefreshApplication.class.getName(), arguments, RefreshApplication.RESULT_PREFIX);
		if (!result[4].equals(expectedProperties)) {
			throw new IllegalStateException(result[4] + " properties from etcd instead of " + expectedProperties);
		}
		return new Startup(Long.parseLong(result[0]), Long.parseLong(result[1]), Long.parseLong(result[2]),
				TimeUnit.MILLISECONDS.toNanos(Long.parseLong(result[3])));
	}

	private static FirstReads firstReads(String endpoint, int keys) {
		String[] result = run(FirstRead.class.getName(), List.of(endpoint, Integer.toString(keys)),
				FirstRead.RESULT_PREFIX);
		return new FirstReads(Long.parseLong(result[0]), Long.parseLong(result[1]));
	}

	/**
	 * Run a main class in a fresh JVM on this JVM's class path and return the fields of
	 * its result line.
	 */
	private static String[] run(String mainClass, List<String> arguments, String resultPrefix) {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						System.getProperty("java.class.path"), mainClass));
		command.addAll(arguments);
		Process process = null;
		Path log = null;
		try {
			// output to a file, so that waiting for the application stays bounded even if
			// it hangs
			log = Files.createTempFile("config-startup-", ".log");
			process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			boolean exited = process.waitFor(APPLICATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			String output = Files.readString(log, StandardCharsets.UTF_8);
			if (!exited || process.exitValue() != 0) {
				throw new IllegalStateException("The application failed: " + command + "\n" + output);
			}
			return output.lines()
				.filter((line) -> line.startsWith(resultPrefix))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("No result from " + command + "\n" + output))
				.substring(resultPrefix.length())
				.split(" ");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + command, ex);
		}
		finally {
			if (process != null) {
				process.destroyForcibly();
			}
			if (log != null) {
				try {
					Files.deleteIfExists(log);
				}
				catch (IOException ex) {
					// a temporary file
				}
			}
		}
	}

	private static void printFirstReads(int runs, List<List<FirstReads>> firstReads) {
		System.out.println("The first reads of a new client in a fresh JVM, " + runs
				+ " JVMs per variant, in ms: median (min-max)");
		System.out.println();
		System.out.println("| `EtcdConfigReader.read` | 0 keys | " + KEYS + " keys | difference of the medians |");
		System.out.println("|---|---:|---:|---:|");
		System.out.println(readRow("first read (connects; loads and runs the code for the first time)", firstReads,
				FirstReads::first));
		System.out.println(readRow("second read", firstReads, FirstReads::second));
	}

	private static String readRow(String label, List<List<FirstReads>> firstReads, ToLongFunction<FirstReads> measure) {
		Samples empty = new Samples(firstReads.get(0).stream().map(measure::applyAsLong).toList());
		Samples full = new Samples(firstReads.get(1).stream().map(measure::applyAsLong).toList());
		return "| " + label + " | " + medianAndRange(empty) + " | " + medianAndRange(full) + " | "
				+ millis(full.median() - empty.median()) + " |";
	}

	private static String medianAndRange(Samples samples) {
		return millis(samples.median()) + " (" + millis(samples.min()) + "-" + millis(samples.max()) + ")";
	}

	private static String row(String label, List<List<Startup>> results, ToLongFunction<Startup> measure) {
		List<Samples> samples = results.stream()
			.map((startups) -> new Samples(startups.stream().map(measure::applyAsLong).toList()))
			.toList();
		StringBuilder row = new StringBuilder("| ").append(label).append(" | ");
		for (Samples variant : samples) {
			row.append(medianAndRange(variant)).append(" | ");
		}
		return row.append(millis(samples.get(2).median() - samples.get(1).median())).append(" |").toString();
	}

	private static String millis(long nanos) {
		return Long.toString(Math.round(nanos / 1e6));
	}

	/**
	 * The first two reads of a fresh JVM, in nanoseconds.
	 */
	private record FirstReads(long first, long second) {

	}

	/**
	 * Reads the contexts of {@link RefreshApplication} twice with a new client, as the
	 * {@code etcd:} import does at startup, and prints {@value #RESULT_PREFIX} and the
	 * nanoseconds of each read. Arguments: the etcd endpoint and the number of keys
	 * expected in {@code config/application/}.
	 */
	public static final class FirstRead {

		static final String RESULT_PREFIX = "first-read-result ";

		private FirstRead() {
		}

		public static void main(String[] args) {
			List<EtcdConfigContext> contexts = EtcdConfigContexts.automatic(new EtcdConfigProperties(), "refresh",
					List.of());
			try (Client client = Client.builder().endpoints(args[0]).build()) {
				EtcdConfigReader reader = new EtcdConfigReader(client, BenchmarkRegistry.REQUEST_TIMEOUT);
				int keys = Integer.parseInt(args[1]);
				long first = timeRead(reader, contexts, keys);
				long second = timeRead(reader, contexts, keys);
				System.out.println(RESULT_PREFIX + first + " " + second);
			}
		}

	}

	/**
	 * The durations of one startup, in nanoseconds.
	 */
	private record Startup(long runToEnvironment, long runToStarted, long startedToReady, long jvmStartToReady) {

		long runToReady() {
			return this.runToStarted + this.startedToReady;
		}

	}

}
