package io.github.etcdspring.discovery;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.LoggedProcesses;

/**
 * The Go program {@code src/test/go/grpcnaming}: etcd's own gRPC naming code
 * ({@code go.etcd.io/etcd/clientv3/naming/endpoints} from Debian's
 * {@code golang-etcd-server-dev}) registering and watching endpoints against a test
 * cluster. It is built once per run into {@code target/go}, in GOPATH mode on Debian's Go
 * sources; without Go it fails, naming the packages to install. Every process it starts
 * is destroyed by {@link #close()}.
 */
final class GoGrpcNaming implements AutoCloseable {

	private static final Path SOURCES = Path.of("src", "test", "go", "grpcnaming");

	private static final Path BUILD = Path.of("target", "go");

	private static final String GOPATH = "/usr/share/gocode";

	private static final long BUILD_MINUTES = 5;

	private static Path program;

	private static RuntimeException buildFailure;

	private final EtcdCluster etcd;

	private final LoggedProcesses processes = new LoggedProcesses();

	GoGrpcNaming(EtcdCluster etcd) {
		this.etcd = etcd;
	}

	/**
	 * Start {@code grpcnaming register}: it puts {@code TARGET/ADDR} with etcd's endpoint
	 * manager under a lease that it keeps alive, prints {@code REGISTERED TARGET/ADDR}
	 * and stays until destroyed.
	 * @param target the gRPC target
	 * @param address the {@code host:port}
	 * @param ttlSeconds the lease's TTL
	 * @return the process, whose output {@link #output(Process)} reads
	 */
	Process register(String target, String address, int ttlSeconds) {
		return start("register", endpoint(), target, address, Integer.toString(ttlSeconds));
	}

	/**
	 * Start {@code grpcnaming watch}: it prints {@code WATCHING TARGET} once its endpoint
	 * manager watches, then a line per update, {@code ADD host:port} or
	 * {@code DELETE host:port}.
	 * @param target the gRPC target
	 * @return the process, whose output {@link #output(Process)} reads
	 */
	Process watch(String target) {
		return start("watch", endpoint(), target);
	}

	/**
	 * What a process started here printed so far.
	 * @param process the process
	 * @return its output and errors
	 */
	String output(Process process) {
		return this.processes.output(process);
	}

	private Process start(String... arguments) {
		List<String> command = new ArrayList<>(List.of(program().toString()));
		command.addAll(List.of(arguments));
		return this.processes.start(new ProcessBuilder(command));
	}

	private String endpoint() {
		return this.etcd.endpoints().get(0).toString();
	}

	private static synchronized Path program() {
		if (buildFailure != null) {
			throw buildFailure;
		}
		if (program == null) {
			try {
				program = build();
			}
			catch (RuntimeException ex) {
				buildFailure = ex;
				throw ex;
			}
		}
		return program;
	}

	private static Path build() {
		Path binary = BUILD.resolve("grpcnaming").toAbsolutePath();
		try {
			Files.createDirectories(BUILD);
			File log = File.createTempFile("grpcnaming-build", ".log");
			log.deleteOnExit();
			ProcessBuilder builder = new ProcessBuilder("go", "build", "-o", binary.toString(), ".")
				.directory(SOURCES.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log);
			builder.environment().put("GO111MODULE", "off");
			builder.environment().put("GOPATH", GOPATH);
			builder.environment().put("GOFLAGS", "");
			builder.environment().put("GOCACHE", BUILD.resolve("cache").toAbsolutePath().toString());
			Process process = startGo(builder);
			if (!process.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
				process.destroyForcibly().waitFor();
				throw new IllegalStateException("Building " + SOURCES + " with Go took over " + BUILD_MINUTES
						+ " minutes. Go printed:\n" + LoggedProcesses.read(log));
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("Building " + SOURCES + " with Go (GO111MODULE=off GOPATH=" + GOPATH
						+ ") failed; it needs Debian's golang-go and golang-etcd-server-dev "
						+ "(scripts/ensure-tools.sh installs them). Go printed:\n" + LoggedProcesses.read(log));
			}
			return binary;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Process startGo(ProcessBuilder builder) {
		try {
			return builder.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Go is not installed (no 'go' on the PATH): these tests build a Go "
					+ "program on etcd's own gRPC naming code. Install Debian's golang-go and golang-etcd-server-dev "
					+ "(apt-get install golang-go golang-etcd-server-dev, or scripts/ensure-tools.sh).", ex);
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.processes.close();
	}

}
