package io.github.etcdspring.lock;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.etcdspring.test.EtcdCluster;

/**
 * {@code etcdctl} (API 3) against a test cluster, as a Go client of the same locks. Every
 * process it starts is destroyed by {@link #close()}.
 */
final class Etcdctl implements AutoCloseable {

	private final EtcdCluster etcd;

	private final List<Process> processes = new ArrayList<>();

	private final Map<Process, File> logs = new HashMap<>();

	Etcdctl(EtcdCluster etcd) {
		this.etcd = etcd;
	}

	/**
	 * The command line of {@code etcdctl} with the cluster's endpoints, for a script.
	 * @return the command
	 */
	String commandLine() {
		return "etcdctl --endpoints=" + endpoints();
	}

	/**
	 * Start {@code etcdctl lock NAME [-- command...]}: without a command it prints the
	 * key once it holds the lock and holds it until destroyed (SIGTERM unlocks); with
	 * one, it runs it under the lock, with {@code ETCD_LOCK_KEY} set, and unlocks.
	 * @param name the lock name, with the prefix
	 * @param command the command, if any
	 * @return the process, whose output {@link #output(Process)} reads
	 */
	Process lock(String name, String... command) {
		List<String> arguments = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoints(), "lock", name));
		if (command.length > 0) {
			arguments.add("--");
			arguments.addAll(List.of(command));
		}
		return start(arguments);
	}

	/**
	 * Run {@code etcdctl lock NAME -- sh -c SCRIPT} to its end.
	 * @param name the lock name, with the prefix
	 * @param script the script
	 */
	void runLocked(String name, String script) {
		Process process = lock(name, "sh", "-c", script);
		try {
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("etcdctl lock " + name + " failed: " + output(process));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * What a process started here printed so far.
	 * @param process the process
	 * @return its output and errors
	 */
	String output(Process process) {
		File log;
		synchronized (this.processes) {
			log = this.logs.get(process);
		}
		try {
			return Files.readString(log.toPath(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private Process start(List<String> arguments) {
		try {
			File log = File.createTempFile("etcdctl", ".log");
			log.deleteOnExit();
			ProcessBuilder builder = new ProcessBuilder(arguments).redirectErrorStream(true).redirectOutput(log);
			builder.environment().put("ETCDCTL_API", "3");
			Process process = builder.start();
			synchronized (this.processes) {
				this.processes.add(process);
				this.logs.put(process, log);
			}
			return process;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private String endpoints() {
		return this.etcd.endpoints().stream().map(URI::toString).collect(Collectors.joining(","));
	}

	@Override
	public void close() throws InterruptedException {
		synchronized (this.processes) {
			for (Process process : this.processes) {
				process.destroyForcibly().waitFor();
			}
			this.processes.clear();
			this.logs.values().forEach(File::delete);
			this.logs.clear();
		}
	}

}
