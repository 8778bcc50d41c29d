package io.github.etcdspring.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.github.etcdspring.registry.RegisteringProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.etcdspring.test.EtcdKeys.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A local etcd stops after the application has deregistered when the JVM gets SIGTERM.
 * The application runs in a child JVM with a local etcd whose data directory is kept, so
 * that what the application left in etcd can be read afterwards. The proof is twofold:
 * the child's log shows the deregistration completed before the local etcd was stopped,
 * and the data etcd kept holds no instance key (an instance whose deregistration failed
 * would still be there, under a lease of 30 seconds that etcd renews when it restarts).
 */
class EmbeddedEtcdShutdownTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	@Test
	void onSigtermTheLocalEtcdStopsAfterTheApplicationDeregistered(@TempDir Path directory) throws Exception {
		Path log = directory.resolve("application.log");
		Path dataDirectory = directory.resolve("etcd");
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), RegisteringProcess.class.getName(),
				"--etcd.embedded.enabled=true", "--etcd.embedded.data-directory=" + dataDirectory,
				"--etcd.keepalive-ttl=30s", "--service.name=terminated", "--service.port=8401",
				"--service.host=127.0.0.1");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		try {
			await().atMost(BOUND).until(() -> read(log).contains("Registered terminated/127.0.0.1:8401"));
			process.destroy();
			assertThat(process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
		}
		finally {
			process.destroyForcibly();
		}
		String output = read(log);
		int deregistered = output.indexOf("Deregistered terminated/127.0.0.1:8401");
		int stopped = output.indexOf("Stopped the local etcd");
		assertThat(deregistered).as(output).isNotNegative();
		assertThat(stopped).as(output).isGreaterThan(deregistered);
		assertThat(output).doesNotContain("Could not revoke");

		LocalEtcdServer restarted = LocalEtcdServer.singleMember(LocalEtcdServer.findBinary(null), dataDirectory, 0);
		restarted.start(BOUND);
		try (Client client = Client.builder().endpoints(restarted.clientUrl()).build()) {
			assertThat(get(client, "services/terminated/127.0.0.1:8401")).isNull();
		}
		finally {
			restarted.stop();
		}
	}

	private static String read(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
