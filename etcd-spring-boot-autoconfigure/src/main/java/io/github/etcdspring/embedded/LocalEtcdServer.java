package io.github.etcdspring.embedded;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * One etcd server process on loopback: started from a binary with its own data directory
 * and log file, and stopped again. Used by the {@link EmbeddedEtcd local etcd} of
 * applications and by the test support to build single-member and multi-member clusters.
 *
 * @author etcd-spring-boot contributors
 */
public final class LocalEtcdServer {

	/**
	 * Logged by etcd 3.4 to 3.6 once the member has joined its cluster and accepts client
	 * requests.
	 */
	private static final String READY_MESSAGE = "ready to serve client requests";

	private static final int LOG_TAIL_LINES = 30;

	/**
	 * How etcd reports, before it exits, a listen address that another process holds.
	 */
	private static final Pattern PORT_IN_USE = Pattern
		.compile("listen tcp [^\\s]*:(\\d+): bind: address already in use");

	private final Path binary;

	private final String name;

	private final URI clientUrl;

	private final URI peerUrl;

	private final String initialCluster;

	private final Path dataDirectory;

	private final Path logFile;

	private final List<String> extraArguments;

	private @Nullable Process process;

	private long logOffsetAtLaunch;

	private boolean stopOnJvmShutdown = true;

	private @Nullable Thread shutdownHook;

	/**
	 * Create a member of a cluster.
	 * @param binary the etcd executable
	 * @param name the member name, unique in the cluster
	 * @param clientUrl the URL clients connect to
	 * @param peerUrl the URL the other members connect to
	 * @param initialCluster the {@code --initial-cluster} value, listing every member as
	 * {@code name=peerUrl}
	 * @param workDirectory where the member's data directory and log file are kept
	 * @param extraArguments further etcd flags, such as TLS settings
	 */
	public LocalEtcdServer(Path binary, String name, URI clientUrl, URI peerUrl, String initialCluster,
			Path workDirectory, List<String> extraArguments) {
		this.binary = binary;
		this.name = name;
		this.clientUrl = clientUrl;
		this.peerUrl = peerUrl;
		this.initialCluster = initialCluster;
		this.dataDirectory = workDirectory.resolve(name + ".etcd");
		this.logFile = workDirectory.resolve(name + ".log");
		this.extraArguments = List.copyOf(extraArguments);
	}

	/**
	 * Create a single-member cluster on free loopback ports.
	 * @param binary the etcd executable
	 * @param workDirectory where the data directory and log file are kept
	 * @param clientPort the client port, or 0 for a free one
	 * @return the server, not started yet
	 */
	public static LocalEtcdServer singleMember(Path binary, Path workDirectory, int clientPort) {
		return singleMember(binary, workDirectory, clientPort, LocalEtcdServer::freePort);
	}

	/**
	 * Create a single-member cluster on loopback ports.
	 * @param binary the etcd executable
	 * @param workDirectory where the data directory and log file are kept
	 * @param clientPort the client port, or 0 for one from {@code freePorts}
	 * @param freePorts where ports come from, the client port (when not given) then the
	 * peer port
	 * @return the server, not started yet
	 */
	static LocalEtcdServer singleMember(Path binary, Path workDirectory, int clientPort, IntSupplier freePorts) {
		URI clientUrl = URI.create("http://127.0.0.1:" + ((clientPort != 0) ? clientPort : freePorts.getAsInt()));
		URI peerUrl = URI.create("http://127.0.0.1:" + freePorts.getAsInt());
		return new LocalEtcdServer(binary, "local", clientUrl, peerUrl, "local=" + peerUrl, workDirectory, List.of());
	}

	/**
	 * Find the etcd executable.
	 * @param configuredLocation an explicit location, or {@code null} to search the
	 * {@code PATH}
	 * @return the executable
	 * @throws EtcdBinaryNotFoundException with installation advice when there is none
	 */
	public static Path findBinary(@Nullable String configuredLocation) {
		if (StringUtils.hasText(configuredLocation)) {
			Path binary = Path.of(configuredLocation);
			if (Files.isRegularFile(binary) && Files.isExecutable(binary)) {
				return binary;
			}
			throw new EtcdBinaryNotFoundException(configuredLocation);
		}
		String path = System.getenv("PATH");
		return Stream.of((path != null) ? path.split(java.io.File.pathSeparator) : new String[0])
			.filter(StringUtils::hasText)
			.map((directory) -> Path.of(directory, "etcd"))
			.filter((candidate) -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
			.findFirst()
			.orElseThrow(() -> new EtcdBinaryNotFoundException(null));
	}

	/**
	 * A loopback port that is free at the time of the call.
	 * @return the port
	 */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free loopback port", ex);
		}
	}

	/**
	 * Start the process and wait until it serves clients.
	 * @param timeout how long to wait
	 */
	public synchronized void start(Duration timeout) {
		launch();
		awaitReady(timeout);
	}

	/**
	 * Start the process without waiting: members of a new cluster are only ready once a
	 * quorum of them runs.
	 */
	public synchronized void launch() {
		if (isRunning()) {
			throw new IllegalStateException("etcd member '" + this.name + "' is already running");
		}
		List<String> command = new ArrayList<>(List.of(this.binary.toString(), "--name", this.name, "--data-dir",
				this.dataDirectory.toString(), "--listen-client-urls", this.clientUrl.toString(),
				"--advertise-client-urls", this.clientUrl.toString(), "--listen-peer-urls", this.peerUrl.toString(),
				"--initial-advertise-peer-urls", this.peerUrl.toString(), "--initial-cluster", this.initialCluster,
				"--initial-cluster-state", "new", "--initial-cluster-token", "local-etcd"));
		command.addAll(this.extraArguments);
		try {
			Files.createDirectories(this.logFile.getParent());
			this.logOffsetAtLaunch = Files.exists(this.logFile) ? Files.size(this.logFile) : 0;
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start etcd with " + command, ex);
		}
		if (this.stopOnJvmShutdown) {
			this.shutdownHook = new Thread(this::stop, "etcd-" + this.name + "-shutdown");
			Runtime.getRuntime().addShutdownHook(this.shutdownHook);
		}
	}

	/**
	 * Leave stopping the process when the JVM shuts down to the caller, rather than
	 * stopping it from a shutdown hook of its own, which runs at the same time as every
	 * other hook.
	 * @return this server, not launched yet
	 */
	public LocalEtcdServer withoutShutdownHook() {
		this.stopOnJvmShutdown = false;
		return this;
	}

	/**
	 * Wait until the launched process serves clients.
	 * @param timeout how long to wait
	 * @throws IllegalStateException with the end of the etcd log when it exits or does
	 * not get ready in time
	 */
	public void awaitReady(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!logSinceLaunch().contains(READY_MESSAGE)) {
			Process current = this.process;
			if (current == null || !current.isAlive()) {
				String message = "etcd member '" + this.name + "' exited during startup. Last lines of " + this.logFile
						+ ":\n" + logTail();
				Matcher portInUse = PORT_IN_USE.matcher(logSinceLaunch());
				if (portInUse.find()) {
					throw new EtcdPortInUseException(Integer.parseInt(portInUse.group(1)), message);
				}
				throw new IllegalStateException(message);
			}
			if (System.nanoTime() > deadline) {
				stop();
				throw new IllegalStateException("etcd member '" + this.name + "' was not ready within " + timeout
						+ ". Last lines of " + this.logFile + ":\n" + logTail());
			}
			pause();
		}
	}

	/**
	 * Stop the process gracefully, forcibly when it does not exit within ten seconds.
	 * Does nothing when it is not running. The data directory is kept.
	 */
	public synchronized void stop() {
		Process current = this.process;
		if (current == null) {
			return;
		}
		current.destroy();
		try {
			if (!current.waitFor(10, TimeUnit.SECONDS)) {
				current.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			current.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		this.process = null;
		removeShutdownHook();
	}

	/**
	 * Kill the process with SIGKILL, as a crash or an out-of-memory killer would. The
	 * data directory is kept.
	 */
	public synchronized void kill() {
		Process current = this.process;
		if (current == null) {
			return;
		}
		try {
			current.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.process = null;
		removeShutdownHook();
	}

	public boolean isRunning() {
		Process current = this.process;
		return current != null && current.isAlive();
	}

	/**
	 * The running process, for tests that need to signal it.
	 * @return the process, or {@code null} when stopped
	 */
	public @Nullable Process process() {
		return this.process;
	}

	public String name() {
		return this.name;
	}

	public URI clientUrl() {
		return this.clientUrl;
	}

	public URI peerUrl() {
		return this.peerUrl;
	}

	public Path dataDirectory() {
		return this.dataDirectory;
	}

	public Path logFile() {
		return this.logFile;
	}

	private void removeShutdownHook() {
		if (this.shutdownHook != null && Thread.currentThread() != this.shutdownHook) {
			try {
				Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
			}
			catch (IllegalStateException ex) {
				// The JVM is already shutting down.
			}
		}
		this.shutdownHook = null;
	}

	private String logSinceLaunch() {
		try (RandomAccessFile file = new RandomAccessFile(this.logFile.toFile(), "r")) {
			long length = file.length() - this.logOffsetAtLaunch;
			if (length <= 0) {
				return "";
			}
			byte[] bytes = new byte[(int) length];
			file.seek(this.logOffsetAtLaunch);
			file.readFully(bytes);
			return new String(bytes, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

	private String logTail() {
		List<String> lines = logSinceLaunch().lines().toList();
		return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
	}

	private static void pause() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for etcd", ex);
		}
	}

}
