package io.github.etcdspring.leader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.etcdspring.test.EtcdCluster;

/**
 * An {@code etcdctl} process against a test cluster, its output lines collected. Closing
 * it sends SIGTERM (etcdctl elect resigns then), then SIGKILL if it does not end.
 */
final class Etcdctl implements AutoCloseable {

	private final Process process;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private Etcdctl(Process process) {
		this.process = process;
		Thread reader = new Thread(() -> {
			try (BufferedReader output = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = output.readLine(); line != null; line = output.readLine()) {
					this.lines.add(line);
				}
			}
			catch (IOException ex) {
				// the process ended
			}
		}, "etcdctl-output");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Start {@code etcdctl} with arguments.
	 * @param etcd the cluster
	 * @param arguments e.g. {@code elect elections/job go}
	 * @return the process
	 */
	static Etcdctl start(EtcdCluster etcd, String... arguments) {
		List<String> command = new ArrayList<>(List.of("etcdctl",
				"--endpoints=" + etcd.endpoints().stream().map(URI::toString).collect(Collectors.joining(","))));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("ETCDCTL_API", "3");
		try {
			return new Etcdctl(builder.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	List<String> lines() {
		return this.lines;
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
	}

}
