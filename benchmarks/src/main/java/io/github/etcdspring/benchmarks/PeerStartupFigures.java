package io.github.etcdspring.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.etcdspring.benchmarks.peer.ProbeApplication;

/**
 * The startup figure of {@link PeerBenchmark}: {@link ProbeApplication} as a web
 * application (Tomcat on a free port) in fresh JVMs with the same flags, from the JVM's
 * start to ready, without a registry and with each {@link PeerStore}'s integration
 * importing its configuration and registering itself (checked, after the measurement,
 * through its own {@code DiscoveryClient}). The variants take turns, after one unrecorded
 * run of each.
 *
 * @author etcd-spring-boot contributors
 */
final class PeerStartupFigures {

	static final String NONE = "no registry";

	private static final List<String> NO_REGISTRY = List.of("--etcd.enabled=false",
			"--spring.cloud.zookeeper.enabled=false", "--spring.cloud.zookeeper.config.enabled=false");

	private PeerStartupFigures() {
	}

	/**
	 * Start the application {@code 1 + runs} times in each variant.
	 * @param stores the stores
	 * @param runs recorded runs per variant
	 * @return milliseconds from the JVM's start to ready, per variant ({@link #NONE} and
	 * each store's label)
	 */
	static Map<String, List<Long>> measure(List<PeerStore> stores, int runs) {
		Map<String, List<Long>> readyMillis = new LinkedHashMap<>();
		readyMillis.put(NONE, new ArrayList<>());
		stores.forEach((store) -> readyMillis.put(store.label(), new ArrayList<>()));
		for (int run = 0; run <= runs; run++) {
			String name = "startup-" + run;
			long none = launch(NO_REGISTRY, name + "-none", false);
			if (run > 0) {
				readyMillis.get(NONE).add(none);
			}
			for (int i = 0; i < stores.size(); i++) {
				PeerStore store = stores.get(i);
				long ready = launch(store.arguments(name + "-" + i), name + "-" + i, true);
				if (run > 0) {
					readyMillis.get(store.label()).add(ready);
				}
			}
		}
		return readyMillis;
	}

	private static long launch(List<String> arguments, String name, boolean registers) {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						System.getProperty("java.class.path"), ProbeApplication.class.getName(),
						"--spring.main.banner-mode=off", "--spring.application.name=" + name,
						"--spring.main.web-application-type=servlet", "--server.port=0", "--server.address=127.0.0.1",
						"--probe.expect-registration=" + registers));
		command.addAll(arguments);
		try {
			Path log = Files.createTempFile("peer-startup-", ".log");
			String output;
			try {
				Process process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(log.toFile())
					.start();
				boolean exited = process.waitFor(120, TimeUnit.SECONDS);
				if (!exited) {
					process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				}
				output = Files.readString(log, StandardCharsets.UTF_8);
				if (!exited || process.exitValue() != 0) {
					throw new IllegalStateException("The application failed: " + command + "\n" + output);
				}
			}
			finally {
				Files.deleteIfExists(log);
			}
			String[] result = output.lines()
				.filter((line) -> line.startsWith(ProbeApplication.RESULT_PREFIX))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("No result from " + command + "\n" + output))
				.substring(ProbeApplication.RESULT_PREFIX.length())
				.split(" ");
			String expected = registers ? "registered" : "none";
			if (!result[1].equals(expected)) {
				throw new IllegalStateException(
						"Registration " + result[1] + " instead of " + expected + " with " + command + "\n" + output);
			}
			return Long.parseLong(result[0]);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + command, ex);
		}
	}

}
