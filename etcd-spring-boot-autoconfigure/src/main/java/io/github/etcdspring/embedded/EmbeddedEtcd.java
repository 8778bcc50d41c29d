package io.github.etcdspring.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.FileSystemUtils;
import org.springframework.util.StringUtils;

/**
 * The local etcd server of an application: started when the bean is created, so that it serves clients before the
 * etcd client is built, and stopped when the context closes, deleting its data unless a data directory was
 * configured.
 *
 * @author etcd-spring-boot contributors
 */
public class EmbeddedEtcd implements DisposableBean {

	private static final Log logger = LogFactory.getLog(EmbeddedEtcd.class);

	private final LocalEtcdServer server;

	private final Path temporaryDirectory;

	public EmbeddedEtcd(EmbeddedEtcdProperties properties) {
		Path binary = LocalEtcdServer.findBinary(properties.getBinary());
		int clientPort = properties.getClientPort();
		if (clientPort < 0 || clientPort > 65535) {
			throw new InvalidConfigurationPropertyValueException(EmbeddedEtcdProperties.PREFIX + ".client-port",
					clientPort, "Must be between 0 (any free port) and 65535");
		}
		this.temporaryDirectory = StringUtils.hasText(properties.getDataDirectory()) ? null : createTemporaryDirectory();
		Path workDirectory = (this.temporaryDirectory != null) ? this.temporaryDirectory
				: Path.of(properties.getDataDirectory());
		this.server = LocalEtcdServer.singleMember(binary, workDirectory, clientPort);
		this.server.start(properties.getStartupTimeout());
		logger.info("Started local etcd at " + this.server.clientUrl() + " (binary " + binary + ", data in "
				+ this.server.dataDirectory() + ((this.temporaryDirectory != null) ? ", deleted on shutdown)" : ")"));
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

	@Override
	public void destroy() {
		this.server.stop();
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
