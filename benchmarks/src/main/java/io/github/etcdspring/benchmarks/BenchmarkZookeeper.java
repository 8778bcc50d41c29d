package io.github.etcdspring.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.springframework.util.FileSystemUtils;

/**
 * The ZooKeeper server of the peer benchmark: Debian's {@code zookeeper} package
 * ({@code apt-get install zookeeper}, {@code scripts/ensure-tools.sh benchmarks}), run
 * stand-alone as {@code ZooKeeperServerMain} in a JVM of its own, on a free loopback
 * port, with a temporary data directory that {@link #close()} deletes.
 * {@code ZOOKEEPER_JAR} overrides the location of its jar ({@value #DEBIAN_JAR}), whose
 * manifest names the jars it needs.
 *
 * @author etcd-spring-boot contributors
 */
public final class BenchmarkZookeeper implements AutoCloseable {

	static final String DEBIAN_JAR = "/usr/share/java/zookeeper.jar";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	private final Path workDirectory;

	private final Process process;

	private final int port;

	private BenchmarkZookeeper(Path workDirectory, Process process, int port) {
		this.workDirectory = workDirectory;
		this.process = process;
		this.port = port;
	}

	/**
	 * Start a server and wait until it answers {@code ruok}.
	 * @return the running server
	 */
	public static BenchmarkZookeeper start() {
		String jar = (System.getenv("ZOOKEEPER_JAR") != null) ? System.getenv("ZOOKEEPER_JAR") : DEBIAN_JAR;
		if (!Files.isRegularFile(Path.of(jar))) {
			throw new IllegalStateException("No ZooKeeper server at " + jar
					+ ": install Debian's zookeeper package (scripts/ensure-tools.sh benchmarks) or set ZOOKEEPER_JAR");
		}
		try {
			Path workDirectory = Files.createTempDirectory("zookeeper-benchmark-");
			int port = freePort();
			Path config = workDirectory.resolve("zoo.cfg");
			Files.writeString(config,
					String.join("\n", "tickTime=2000", "dataDir=" + workDirectory.resolve("data"), "clientPort=" + port,
							"clientPortAddress=127.0.0.1", "admin.enableServer=false", "4lw.commands.whitelist=ruok",
							"maxClientCnxns=0", ""));
			Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-Xmx512m", "-cp", jar, "org.apache.zookeeper.server.ZooKeeperServerMain", config.toString())
				.redirectErrorStream(true)
				.redirectOutput(workDirectory.resolve("server.log").toFile())
				.start();
			BenchmarkZookeeper zookeeper = new BenchmarkZookeeper(workDirectory, process, port);
			try {
				zookeeper.awaitServing();
			}
			catch (RuntimeException ex) {
				zookeeper.close();
				throw ex;
			}
			return zookeeper;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The connect string, for {@code spring.cloud.zookeeper.connect-string}.
	 * @return {@code 127.0.0.1:port}
	 */
	public String connectString() {
		return "127.0.0.1:" + this.port;
	}

	private void awaitServing() throws IOException {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (!"imok".equals(ruok())) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("ZooKeeper stopped at startup: " + log());
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("ZooKeeper did not serve within " + STARTUP_TIMEOUT + ": " + log());
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
		}
	}

	private String ruok() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 1000);
			socket.setSoTimeout(1000);
			OutputStream output = socket.getOutputStream();
			output.write("ruok".getBytes(StandardCharsets.US_ASCII));
			output.flush();
			InputStream input = socket.getInputStream();
			return new String(input.readAllBytes(), StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			return ex.getMessage();
		}
	}

	private String log() throws IOException {
		List<String> lines = Files.readAllLines(this.workDirectory.resolve("server.log"));
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Stop the server and delete its data.
	 */
	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
			FileSystemUtils.deleteRecursively(this.workDirectory);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while stopping ZooKeeper", ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
