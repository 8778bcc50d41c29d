package io.github.etcdspring.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.FileSystemUtils;
import org.springframework.util.StringUtils;

/**
 * The local etcd server of an application: started when the bean is created, so that it
 * serves clients before the etcd client is built, and stopped when the context closes,
 * deleting its data unless a data directory was configured.
 * <p>
 * When the JVM shuts down (SIGTERM) it is stopped after the application context has
 * closed, so that the application deregisters and stops its watches while etcd still
 * serves them: its own shutdown hook waits for the context to close (up to
 * {@link #CONTEXT_CLOSE_TIMEOUT}) rather than stop etcd while Spring's hook is closing
 * the context. A startup that fails at any point stops etcd and deletes a temporary data
 * directory. A port chosen free that another process takes before etcd binds it is
 * replaced by another one.
 *
 * @author etcd-spring-boot contributors
 */
public class EmbeddedEtcd implements DisposableBean {

	/**
	 * How long the JVM shutdown hook waits for the application context to close before it
	 * stops etcd anyway: an application that does not close its context on shutdown
	 * ({@code spring.main.register-shutdown-hook=false}) still leaves no etcd process
	 * behind.
	 */
	static final Duration CONTEXT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * Attempts with other ports when a port chosen free is taken before etcd binds it.
	 */
	private static final int PORT_ATTEMPTS = 3;

	private static final Log logger = LogFactory.getLog(EmbeddedEtcd.class);

	private final LocalEtcdServer server;

	private final @Nullable Path temporaryDirectory;

	private final CountDownLatch destroyed = new CountDownLatch(1);

	private final Thread shutdownHook = new Thread(this::stopAfterTheContextClosed, "etcd-embedded-shutdown");

	public EmbeddedEtcd(EmbeddedEtcdProperties properties) {
		this(properties, LocalEtcdServer::freePort);
	}

	/**
	 * Start a local etcd.
	 * @param properties its settings
	 * @param freePorts where the ports not configured come from
	 */
	EmbeddedEtcd(EmbeddedEtcdProperties properties, IntSupplier freePorts) {
		Path binary = LocalEtcdServer.findBinary(properties.getBinary());
		int clientPort = properties.getClientPort();
		if (clientPort < 0 || clientPort > 65535) {
			throw new InvalidConfigurationPropertyValueException(EmbeddedEtcdProperties.PREFIX + ".client-port",
					clientPort, "Must be between 0 (any free port) and 65535");
		}
		this.temporaryDirectory = StringUtils.hasText(properties.getDataDirectory()) ? null
				: createTemporaryDirectory();
		Path workDirectory = (this.temporaryDirectory != null) ? this.temporaryDirectory
				: Path.of(properties.getDataDirectory());
		try {
			this.server = start(binary, workDirectory, clientPort, properties.getStartupTimeout(), freePorts);
			Runtime.getRuntime().addShutdownHook(this.shutdownHook);
		}
		catch (RuntimeException | Error ex) {
			deleteTemporaryDirectory();
			throw ex;
		}
		logger.info("Started local etcd at " + this.server.clientUrl() + " (binary " + binary + ", data in "
				+ this.server.dataDirectory() + ((this.temporaryDirectory != null) ? ", deleted on shutdown)" : ")"));
	}

	private LocalEtcdServer start(Path binary, Path workDirectory, int clientPort, Duration timeout,
			IntSupplier freePorts) {
		for (int attempt = 1;; attempt++) {
			LocalEtcdServer candidate = LocalEtcdServer.singleMember(binary, workDirectory, clientPort, freePorts)
				.withoutShutdownHook();
			try {
				candidate.start(timeout);
				return candidate;
			}
			catch (EtcdPortInUseException ex) {
				candidate.stop();
				if (ex.getPort() == clientPort) {
					throw new InvalidConfigurationPropertyValueException(EmbeddedEtcdProperties.PREFIX + ".client-port",
							clientPort, "The port is already in use on the loopback address: choose another one, or 0 "
									+ "for any free port");
				}
				if (attempt == PORT_ATTEMPTS) {
					throw ex;
				}
				logger.info("Port " + ex.getPort() + " of the local etcd was taken before etcd could bind it; "
						+ "trying other ports");
			}
			catch (RuntimeException | Error ex) {
				candidate.stop();
				throw ex;
			}
		}
	}

	public URI getClientUrl() {
		return this.server.clientUrl();
	}

	public Path getDataDirectory() {
		return this.server.dataDirectory();
	}

	public boolean isRunning() {
		return this.server.isRunning();
	}

	/**
	 * Stop etcd and delete a temporary data directory. Called when the context closes,
	 * after the application deregistered (on {@code ContextClosedEvent}) and after every
	 * bean that uses the client was destroyed.
	 */
	@Override
	public void destroy() {
		if (this.destroyed.getCount() == 0) {
			return;
		}
		this.server.stop();
		logger.info("Stopped the local etcd at " + this.server.clientUrl());
		deleteTemporaryDirectory();
		this.destroyed.countDown();
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// The JVM is shutting down: the hook is running, or will find the latch
			// released.
		}
	}

	private void stopAfterTheContextClosed() {
		try {
			if (this.destroyed.await(CONTEXT_CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				return;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		logger.warn("The application context did not close within " + CONTEXT_CLOSE_TIMEOUT.toSeconds()
				+ "s of the JVM shutdown; stopping the local etcd at " + this.server.clientUrl());
		this.server.stop();
		deleteTemporaryDirectory();
	}

	private void deleteTemporaryDirectory() {
		if (this.temporaryDirectory != null) {
			try {
				FileSystemUtils.deleteRecursively(this.temporaryDirectory);
			}
			catch (IOException ex) {
				logger.warn("Could not delete the data of the local etcd in " + this.temporaryDirectory, ex);
			}
		}
	}

	private static Path createTemporaryDirectory() {
		try {
			return Files.createTempDirectory("etcd-embedded-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a data directory for the local etcd", ex);
		}
	}

}
