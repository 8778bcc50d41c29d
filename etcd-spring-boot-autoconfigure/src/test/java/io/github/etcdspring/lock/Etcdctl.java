package io.github.etcdspring.lock;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.LoggedProcesses;

/**
 * {@code etcdctl} (API 3) against a test cluster, as a Go client of the same locks. Every
 * process it starts is destroyed by {@link #close()}.
 */
final class Etcdctl implements AutoCloseable {

	private final EtcdCluster etcd;

	private final LoggedProcesses processes = new LoggedProcesses();

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
		return this.processes.output(process);
	}

	private Process start(List<String> arguments) {
		ProcessBuilder builder = new ProcessBuilder(arguments);
		builder.environment().put("ETCDCTL_API", "3");
		return this.processes.start(builder);
	}

	private String endpoints() {
		return this.etcd.endpoints().stream().map(URI::toString).collect(Collectors.joining(","));
	}

	@Override
	public void close() throws InterruptedException {
		this.processes.close();
	}

}
