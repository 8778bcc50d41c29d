package io.github.etcdspring.discovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.etcdspring.test.EtcdCluster;

/**
 * Writes registry entries with {@code etcdctl} (API 3), as the Go registries' own client
 * would: leases granted, keys put with them, keys deleted. Each command runs to its end.
 */
final class EtcdctlWriter {

	private static final Pattern GRANTED = Pattern.compile("lease ([0-9a-f]+) granted");

	private final EtcdCluster etcd;

	EtcdctlWriter(EtcdCluster etcd) {
		this.etcd = etcd;
	}

	/**
	 * {@code etcdctl lease grant TTL}, never kept alive.
	 * @param ttlSeconds the TTL
	 * @return the lease id
	 */
	long grant(int ttlSeconds) {
		String output = run("lease", "grant", Integer.toString(ttlSeconds));
		Matcher matcher = GRANTED.matcher(output);
		if (!matcher.find()) {
			throw new IllegalStateException("etcdctl lease grant printed: " + output);
		}
		return Long.parseUnsignedLong(matcher.group(1), 16);
	}

	/**
	 * {@code etcdctl put --lease=ID KEY VALUE}.
	 * @param key the key
	 * @param value the value
	 * @param lease the lease
	 */
	void put(String key, String value, long lease) {
		run("put", "--lease=" + Long.toHexString(lease), "--", key, value);
	}

	/**
	 * {@code etcdctl del KEY}.
	 * @param key the key
	 */
	void delete(String key) {
		run("del", "--", key);
	}

	private String run(String... arguments) {
		List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoints()));
		command.addAll(List.of(arguments));
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
			builder.environment().put("ETCDCTL_API", "3");
			Process process = builder.start();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(command + " did not end");
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				throw new IllegalStateException(command + " failed: " + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private String endpoints() {
		return this.etcd.endpoints().stream().map(URI::toString).collect(Collectors.joining(","));
	}

}
