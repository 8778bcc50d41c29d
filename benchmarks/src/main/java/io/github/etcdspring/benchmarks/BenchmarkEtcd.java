package io.github.etcdspring.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.etcd.jetcd.Client;
import io.github.etcdspring.embedded.LocalEtcdServer;

import org.springframework.util.FileSystemUtils;

/**
 * The etcd of one benchmark: a single member of the {@code etcd} binary
 * ({@code ETCD_BINARY}, or the first on the {@code PATH}) on free loopback ports, with a
 * temporary data directory that {@link #close()} deletes.
 *
 * @author etcd-spring-boot contributors
 */
public final class BenchmarkEtcd implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	private final Path workDirectory;

	private final LocalEtcdServer server;

	private BenchmarkEtcd(Path workDirectory, LocalEtcdServer server) {
		this.workDirectory = workDirectory;
		this.server = server;
	}

	/**
	 * Start a member and wait until it serves clients.
	 * @return the running member
	 */
	public static BenchmarkEtcd start() {
		Path workDirectory;
		try {
			workDirectory = Files.createTempDirectory("etcd-benchmark-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		LocalEtcdServer server = LocalEtcdServer.singleMember(LocalEtcdServer.findBinary(System.getenv("ETCD_BINARY")),
				workDirectory, 0);
		BenchmarkEtcd etcd = new BenchmarkEtcd(workDirectory, server);
		try {
			server.start(STARTUP_TIMEOUT);
		}
		catch (RuntimeException ex) {
			etcd.close();
			throw ex;
		}
		return etcd;
	}

	/**
	 * The client URL, for {@code etcd.endpoints}.
	 * @return the URL, such as {@code http://127.0.0.1:40123}
	 */
	public String endpoint() {
		return this.server.clientUrl().toString();
	}

	/**
	 * A client of its own, as another process would have. The caller closes it.
	 * @return a new client
	 */
	public Client newClient() {
		return Client.builder().endpoints(this.server.clientUrl()).build();
	}

	/**
	 * Stop the member and delete its data.
	 */
	@Override
	public void close() {
		this.server.stop();
		try {
			FileSystemUtils.deleteRecursively(this.workDirectory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
