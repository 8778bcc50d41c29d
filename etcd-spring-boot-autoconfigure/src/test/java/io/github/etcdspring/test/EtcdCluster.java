package io.github.etcdspring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.net.ssl.SSLException;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.Cluster;
import io.etcd.jetcd.auth.Permission;
import io.etcd.jetcd.options.OptionsUtil;
import io.github.etcdspring.embedded.EtcdPortInUseException;
import io.github.etcdspring.embedded.LocalEtcdServer;
import io.grpc.netty.GrpcSslContexts;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.util.FileSystemUtils;

import static io.github.etcdspring.test.EtcdKeys.await;
import static io.github.etcdspring.test.EtcdKeys.bytes;

/**
 * A real etcd for tests: one member or a three-member cluster of the {@code etcd} binary
 * on free loopback ports, each with a temporary data directory. Register it as a JUnit
 * extension to start it once per test class:
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();
 * </pre>
 *
 * Tests read and write test data through {@link #client() its shared client};
 * {@link #clearedBeforeEach()} gives every test an empty key space and a client of its
 * own.
 * <p>
 * It can turn on authentication (a root user and a user whose role is limited to
 * {@link #USER_PREFIX}) or mutual TLS, and can crash (SIGKILL), restart, pause (SIGSTOP)
 * and resume members. Without an etcd binary on the PATH (or in the {@code ETCD_BINARY}
 * environment variable) the tests fail with instructions to install one.
 *
 * @author etcd-spring-boot contributors
 */
public final class EtcdCluster
		implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, AutoCloseable {

	public static final String ROOT_USER = "root";

	public static final String ROOT_PASSWORD = "root-secret";

	public static final String USER = "app";

	public static final String USER_PASSWORD = "app-secret";

	/** The only keys {@link #USER} may read and write. */
	public static final String USER_PREFIX = "/app/";

	/**
	 * Name of the SSL bundle that {@link #springProperties()} declares for a TLS cluster.
	 */
	public static final String SSL_BUNDLE = "etcd-test";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	private static final int PORT_ATTEMPTS = 3;

	private final int size;

	private boolean authentication;

	private boolean tls;

	private boolean clearedBeforeEach;

	private Path workDirectory;

	private Path binary;

	private List<String> tlsArguments = List.of();

	private TestCertificates certificates;

	private final List<LocalEtcdServer> members = new ArrayList<>();

	private Client sharedClient;

	private IntSupplier freePorts = LocalEtcdServer::freePort;

	private EtcdCluster(int size) {
		this.size = size;
	}

	public static EtcdCluster singleMember() {
		return new EtcdCluster(1);
	}

	public static EtcdCluster threeMembers() {
		return new EtcdCluster(3);
	}

	/**
	 * Enable authentication, with {@link #ROOT_USER} and {@link #USER} (read-write on
	 * {@link #USER_PREFIX} only).
	 * @return this cluster
	 */
	public EtcdCluster withAuthentication() {
		this.authentication = true;
		return this;
	}

	/**
	 * Serve clients over TLS only, and require a client certificate signed by the test
	 * authority.
	 * @return this cluster
	 */
	public EtcdCluster withTls() {
		this.tls = true;
		return this;
	}

	/**
	 * Take the members' ports from elsewhere than the system's free ports.
	 * @param freePorts the ports
	 * @return this cluster
	 */
	EtcdCluster withPorts(IntSupplier freePorts) {
		this.freePorts = freePorts;
		return this;
	}

	/**
	 * Give every test an empty key space: before each test every key is deleted, and
	 * after it the {@link #client() shared client} is closed, so that each test connects
	 * anew and a restart or a cut in one test does not reach the next one.
	 * @return this cluster
	 */
	public EtcdCluster clearedBeforeEach() {
		this.clearedBeforeEach = true;
		return this;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		start();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		if (this.clearedBeforeEach) {
			EtcdKeys.deleteAll(client());
		}
	}

	@Override
	public void afterEach(ExtensionContext context) {
		if (this.clearedBeforeEach) {
			reconnect();
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	public synchronized void start() {
		this.binary = LocalEtcdServer.findBinary(System.getenv("ETCD_BINARY"));
		try {
			this.workDirectory = Files.createTempDirectory("etcd-test-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (this.tls) {
			this.certificates = TestCertificates.generate(this.workDirectory);
			this.tlsArguments = tlsArguments(this.certificates);
		}
		// A free port may be taken by another process (an outgoing connection) before
		// etcd
		// binds it: then start again on other ports, from empty data directories.
		for (int attempt = 1;; attempt++) {
			try {
				launchMembers();
				break;
			}
			catch (EtcdPortInUseException ex) {
				this.members.forEach(LocalEtcdServer::stop);
				this.members.forEach((member) -> deleteData(member.name()));
				this.members.clear();
				if (attempt == PORT_ATTEMPTS) {
					throw ex;
				}
			}
		}
		if (this.authentication) {
			enableAuthentication();
		}
	}

	private void launchMembers() {
		String clientScheme = this.tls ? "https" : "http";
		List<String> names = new ArrayList<>();
		List<URI> peerUrls = new ArrayList<>();
		for (int i = 0; i < this.size; i++) {
			names.add("member" + i);
			peerUrls.add(URI.create("http://127.0.0.1:" + this.freePorts.getAsInt()));
		}
		String initialCluster = IntStream.range(0, this.size)
			.mapToObj((i) -> names.get(i) + "=" + peerUrls.get(i))
			.collect(Collectors.joining(","));
		for (int i = 0; i < this.size; i++) {
			URI clientUrl = URI.create(clientScheme + "://127.0.0.1:" + this.freePorts.getAsInt());
			this.members.add(new LocalEtcdServer(this.binary, names.get(i), clientUrl, peerUrls.get(i), initialCluster,
					this.workDirectory, this.tlsArguments));
		}
		this.members.forEach(LocalEtcdServer::launch);
		this.members.forEach((member) -> member.awaitReady(STARTUP_TIMEOUT));
	}

	private void deleteData(String name) {
		try {
			FileSystemUtils.deleteRecursively(this.workDirectory.resolve(name + ".etcd"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<String> tlsArguments(TestCertificates certificates) {
		return List.of("--cert-file", certificates.serverCertificate().toString(), "--key-file",
				certificates.serverPrivateKey().toString(), "--trusted-ca-file",
				certificates.caCertificate().toString(), "--client-cert-auth");
	}

	@Override
	public synchronized void close() {
		reconnect();
		this.members.forEach(LocalEtcdServer::stop);
		this.members.clear();
		if (this.workDirectory != null) {
			try {
				FileSystemUtils.deleteRecursively(this.workDirectory);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	/**
	 * The client URLs of all members.
	 * @return the endpoints
	 */
	public List<URI> endpoints() {
		return this.members.stream().map(LocalEtcdServer::clientUrl).toList();
	}

	/**
	 * Spring properties that connect the starter to this cluster: {@code etcd.endpoints}
	 * and, with TLS, an SSL bundle named {@link #SSL_BUNDLE} with the test authority and
	 * the client certificate. No credentials.
	 * @return {@code key=value} pairs
	 */
	public String[] springProperties() {
		List<String> properties = new ArrayList<>();
		properties.add("etcd.endpoints=" + endpoints().stream().map(URI::toString).collect(Collectors.joining(",")));
		if (this.tls) {
			String bundle = "spring.ssl.bundle.pem." + SSL_BUNDLE;
			properties.add(bundle + ".truststore.certificate=file:" + this.certificates.caCertificate());
			properties.add(bundle + ".keystore.certificate=file:" + this.certificates.clientCertificate());
			properties.add(bundle + ".keystore.private-key=file:" + this.certificates.clientPrivateKey());
			properties.add("etcd.ssl.bundle=" + SSL_BUNDLE);
		}
		return properties.toArray(String[]::new);
	}

	/**
	 * The certificates of a TLS cluster.
	 * @return the certificates
	 */
	public TestCertificates certificates() {
		return this.certificates;
	}

	/**
	 * A client with full access (root when authentication is on), for setting up and
	 * checking test data. The caller closes it.
	 * @return a new client
	 */
	public Client newClient() {
		ClientBuilder builder = Client.builder().endpoints(endpoints());
		if (this.authentication) {
			builder.user(bytes(ROOT_USER)).password(bytes(ROOT_PASSWORD));
		}
		if (this.tls) {
			try {
				builder.sslContext(GrpcSslContexts.forClient()
					.trustManager(this.certificates.caCertificate().toFile())
					.keyManager(this.certificates.clientCertificate().toFile(),
							this.certificates.clientPrivateKey().toFile())
					.build());
			}
			catch (SSLException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return builder.build();
	}

	/**
	 * A client with full access, like {@link #newClient()}, shared by the tests of a
	 * class and closed with the cluster, or after each test when the cluster is
	 * {@link #clearedBeforeEach() cleared before each test}.
	 * @return the shared client
	 */
	public synchronized Client client() {
		if (this.sharedClient == null) {
			this.sharedClient = newClient();
		}
		return this.sharedClient;
	}

	/**
	 * Close the {@link #client() shared client}, if one is open: the next call connects
	 * anew, as after a restart, without waiting for the previous connection to recover.
	 */
	public synchronized void reconnect() {
		if (this.sharedClient != null) {
			this.sharedClient.close();
			this.sharedClient = null;
		}
	}

	public LocalEtcdServer member(int index) {
		return this.members.get(index);
	}

	/**
	 * Kill a member with SIGKILL; its data directory stays.
	 * @param index the member
	 */
	public void kill(int index) {
		member(index).kill();
	}

	/**
	 * Start a stopped or killed member again on its data directory and wait until it
	 * serves clients.
	 * @param index the member
	 */
	public void restart(int index) {
		member(index).start(STARTUP_TIMEOUT);
	}

	/**
	 * Kill the only member of a single-member cluster and start it again on an empty data
	 * directory: a new cluster, with no keys, no leases and its revision back at 1, as
	 * after a restore from scratch.
	 */
	public void restartWithoutData() {
		if (this.members.size() != 1) {
			throw new IllegalStateException("Only a single-member cluster can start again without its data");
		}
		LocalEtcdServer member = member(0);
		member.kill();
		try {
			FileSystemUtils.deleteRecursively(member.dataDirectory());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		member.start(STARTUP_TIMEOUT);
		if (this.authentication) {
			enableAuthentication();
		}
	}

	/**
	 * Rotate the certificates of a TLS cluster: a new authority, a new server and a new
	 * client certificate, with which every member is restarted on its data directory and
	 * ports. Clients holding the previous material can no longer connect: the server
	 * trusts only the new authority.
	 * @return the new certificates
	 */
	public synchronized TestCertificates rotateCertificates() {
		if (!this.tls) {
			throw new IllegalStateException("Only a TLS cluster has certificates to rotate");
		}
		try {
			this.certificates = TestCertificates.generate(Files.createTempDirectory(this.workDirectory, "rotated-"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.tlsArguments = tlsArguments(this.certificates);
		reconnect();
		String cluster = this.members.stream()
			.map((member) -> member.name() + "=" + member.peerUrl())
			.collect(Collectors.joining(","));
		for (int i = 0; i < this.members.size(); i++) {
			LocalEtcdServer previous = this.members.get(i);
			previous.stop();
			this.members.set(i, new LocalEtcdServer(this.binary, previous.name(), previous.clientUrl(),
					previous.peerUrl(), cluster, this.workDirectory, this.tlsArguments));
		}
		this.members.forEach(LocalEtcdServer::launch);
		this.members.forEach((member) -> member.awaitReady(STARTUP_TIMEOUT));
		return this.certificates;
	}

	/**
	 * Add a member to the running cluster (etcd's member add), start it on new loopback
	 * ports and wait until it serves clients. It keeps its index among
	 * {@link #member(int) the members}.
	 * @return the index of the new member
	 */
	public synchronized int addMember() {
		String name = "member" + this.members.size();
		URI peerUrl = URI.create("http://127.0.0.1:" + LocalEtcdServer.freePort());
		URI clientUrl = URI.create((this.tls ? "https" : "http") + "://127.0.0.1:" + LocalEtcdServer.freePort());
		// Every member of the cluster, the new one without a name until it starts
		Cluster cluster = client().getClusterClient();
		String initialCluster = whileUnhealthy(() -> await(cluster.addMember(List.of(peerUrl)))).getMembers()
			.stream()
			.map((member) -> (member.getName().isEmpty() ? name : member.getName()) + "=" + member.getPeerURIs().get(0))
			.collect(Collectors.joining(","));
		List<String> arguments = new ArrayList<>(this.tlsArguments);
		// Given after the defaults of LocalEtcdServer, so that this one counts.
		arguments.addAll(List.of("--initial-cluster-state", "existing"));
		LocalEtcdServer member = new LocalEtcdServer(this.binary, name, clientUrl, peerUrl, initialCluster,
				this.workDirectory, arguments);
		member.start(STARTUP_TIMEOUT);
		this.members.add(member);
		return this.members.size() - 1;
	}

	/**
	 * Remove a member from the cluster (etcd's member remove) and stop its process. Its
	 * index stays taken.
	 * @param index the member
	 */
	public synchronized void removeMember(int index) {
		LocalEtcdServer removed = member(index);
		Cluster cluster = client().getClusterClient();
		long id = await(cluster.listMember()).getMembers()
			.stream()
			.filter((member) -> member.getName().equals(removed.name()))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("etcd member '" + removed.name() + "' is not in the cluster"))
			.getId();
		whileUnhealthy(() -> await(cluster.removeMember(id)));
		removed.stop();
	}

	/**
	 * etcd refuses to change the membership ("unhealthy cluster") until its leader has
	 * been connected to the other members for a while, as right after the cluster started
	 * or a member was added: try again until then.
	 */
	private static <T> T whileUnhealthy(Callable<T> change) {
		return Awaitility.await()
			.atMost(STARTUP_TIMEOUT)
			.ignoreExceptionsMatching((ex) -> String.valueOf(ex.getMessage()).contains("unhealthy cluster"))
			.until(change, Objects::nonNull);
	}

	/**
	 * Freeze a member with SIGSTOP: its connections stay open but it answers nothing, as
	 * in a network partition.
	 * @param index the member
	 */
	public void pause(int index) {
		signal(index, "STOP");
	}

	/**
	 * Let a paused member go on with SIGCONT.
	 * @param index the member
	 */
	public void resume(int index) {
		signal(index, "CONT");
	}

	/**
	 * A metric that a member exports on {@code /metrics} of its client URL (plain HTTP
	 * clusters only), to observe from the server side what clients do: watches running,
	 * requests served.
	 * @param index the member
	 * @param series the metric name with its labels as etcd prints them, e.g.
	 * {@code grpc_server_started_total{grpc_method="Txn",grpc_service="etcdserverpb.KV",grpc_type="unary"}}
	 * @return the value, 0 when the member does not export the series
	 */
	public long metric(int index, String series) {
		HttpRequest request = HttpRequest.newBuilder(member(index).clientUrl().resolve("/metrics"))
			.timeout(Duration.ofSeconds(10))
			.build();
		try {
			String body = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
			return body.lines()
				.filter((line) -> line.startsWith(series + " "))
				.mapToLong((line) -> (long) Double.parseDouble(line.substring(series.length() + 1).trim()))
				.findFirst()
				.orElse(0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void signal(int index, String signal) {
		Process process = member(index).process();
		if (process == null) {
			throw new IllegalStateException("etcd member " + index + " is not running");
		}
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("Could not send SIG" + signal + " to etcd member " + index);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void enableAuthentication() {
		boolean enabledAlready = this.authentication;
		this.authentication = false; // the set-up client connects before authentication
										// is on
		try (Client client = newClient()) {
			Auth auth = client.getAuthClient();
			await(auth.userAdd(bytes(ROOT_USER), bytes(ROOT_PASSWORD)));
			await(auth.roleAdd(bytes("root")));
			await(auth.userGrantRole(bytes(ROOT_USER), bytes("root")));
			await(auth.userAdd(bytes(USER), bytes(USER_PASSWORD)));
			await(auth.roleAdd(bytes("app-role")));
			await(auth.roleGrantPermission(bytes("app-role"), bytes(USER_PREFIX),
					OptionsUtil.prefixEndOf(bytes(USER_PREFIX)), Permission.Type.READWRITE));
			await(auth.userGrantRole(bytes(USER), bytes("app-role")));
			await(auth.authEnable());
		}
		finally {
			this.authentication = enabledAlready;
		}
	}

	@Override
	public String toString() {
		return "EtcdCluster" + endpoints();
	}

}
