package io.github.etcdspring.registry;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import io.github.etcdspring.test.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The duplicate-instance rule: a key held by another live lease is never taken over,
 * while a restart of an instance whose previous run was killed registers once the old
 * lease expires. The lease TTL is 3 seconds.
 */
class EtcdServiceRegistryDuplicateInstanceTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client root = etcd.client();

	@Test
	void aSecondApplicationWithTheSameInstanceIdIsRefusedNamingTheIdAndTheHoldersLease() {
		try (ConfigurableApplicationContext first = RegistryTestApplication.start(etcd, "service.name=dup",
				"service.port=8301", "service.instance-id=dup-1")) {
			long firstLease = first.getBean(EtcdServiceRegistry.class).getLeaseId();
			assertThatException()
				.isThrownBy(() -> RegistryTestApplication
					.start(etcd, "service.name=dup", "service.port=8302", "service.instance-id=dup-1")
					.close())
				.withStackTraceContaining("EtcdRegistrationException: Could not register dup/dup-1 at 127.0.0.1:8302: "
						+ "instance id 'dup-1' is taken, the etcd key 'services/dup/dup-1' is already registered under "
						+ "lease " + Long.toHexString(firstLease) + " of another process");
			KeyValue held = keyValue("services/dup/dup-1");
			assertThat(held.getLease()).isEqualTo(firstLease);
			assertThat(held.getValue().toString(java.nio.charset.StandardCharsets.UTF_8)).contains("\"port\":8301");
			assertThat(first.getBean(RegistryTestApplication.RegistrationEvents.class).lost).isEmpty();
			assertThat(first.getBean(EtcdServiceRegistry.class).getState()).isEqualTo("REGISTERED");
		}
	}

	@Test
	void withoutFailFastTheSecondApplicationStartsDownAndRegistersOnceTheKeyIsGone() {
		ConfigurableApplicationContext first = RegistryTestApplication.start(etcd, "service.name=patient-dup",
				"service.port=8331", "service.instance-id=patient-1");
		long firstLease = first.getBean(EtcdServiceRegistry.class).getLeaseId();
		try (ConfigurableApplicationContext second = RegistryTestApplication.start(etcd, "service.name=patient-dup",
				"service.port=8332", "service.instance-id=patient-1", "etcd.fail-fast=false")) {
			EtcdServiceRegistry secondRegistry = second.getBean(EtcdServiceRegistry.class);
			assertThat(secondRegistry.isHealthy()).isFalse();
			assertThat(secondRegistry.getLastFailure()).contains("lease " + Long.toHexString(firstLease));
			assertThat(keyValue("services/patient-dup/patient-1").getLease()).isEqualTo(firstLease);
			first.close();
			await().atMost(BOUND).until(() -> secondRegistry.getState().equals("REGISTERED"));
			assertThat(keyValue("services/patient-dup/patient-1").getLease()).isEqualTo(secondRegistry.getLeaseId());
		}
		finally {
			first.close();
		}
	}

	@Test
	void anInstanceRestartedAfterAKillRegistersOnceItsPreviousLeaseExpires() throws Exception {
		Process previousRun = startRegisteringProcess("service.name=phoenix", "service.port=8311",
				"service.instance-id=phoenix-1");
		long previousLease;
		try {
			await().atMost(BOUND).until(() -> keyValue("services/phoenix/phoenix-1") != null);
			previousLease = keyValue("services/phoenix/phoenix-1").getLease();
		}
		finally {
			previousRun.destroyForcibly().waitFor();
		}
		assertThat(keyValue("services/phoenix/phoenix-1")).as("the killed run's key, its lease still alive")
			.isNotNull();
		try (ConfigurableApplicationContext restarted = RegistryTestApplication.start(etcd, "service.name=phoenix",
				"service.port=8311", "service.instance-id=phoenix-1")) {
			long lease = restarted.getBean(EtcdServiceRegistry.class).getLeaseId();
			assertThat(lease).isNotEqualTo(previousLease);
			assertThat(keyValue("services/phoenix/phoenix-1").getLease()).isEqualTo(lease);
		}
	}

	@Test
	void aRegistrationLostMeanwhileTakenByAnotherApplicationIsNotTakenBack() {
		try (TcpProxy proxy = TcpProxy.to(etcd.endpoints().get(0));
				ConfigurableApplicationContext first = RegistryTestApplication.start(etcd, "service.name=taken",
						"service.port=8321", "service.instance-id=taken-1", "etcd.endpoints=" + proxy.endpoint())) {
			EtcdServiceRegistry firstRegistry = first.getBean(EtcdServiceRegistry.class);
			proxy.cut();
			await().atMost(BOUND).until(() -> keyValue("services/taken/taken-1") == null);
			try (ConfigurableApplicationContext second = RegistryTestApplication.start(etcd, "service.name=taken",
					"service.port=8322", "service.instance-id=taken-1")) {
				long secondLease = second.getBean(EtcdServiceRegistry.class).getLeaseId();
				proxy.restore();
				await().atMost(BOUND)
					.until(() -> String.valueOf(firstRegistry.getLastFailure())
						.contains("lease " + Long.toHexString(secondLease)));
				assertThat(keyValue("services/taken/taken-1").getLease()).isEqualTo(secondLease);
				assertThat(firstRegistry.isHealthy()).isFalse();
			}
			await().atMost(BOUND).until(() -> firstRegistry.getState().equals("REGISTERED"));
			assertThat(keyValue("services/taken/taken-1").getLease()).isEqualTo(firstRegistry.getLeaseId());
		}
	}

	private KeyValue keyValue(String key) {
		List<KeyValue> found = EtcdKeys.await(this.root.getKVClient().get(EtcdKeys.bytes(key))).getKvs();
		return found.isEmpty() ? null : found.get(0);
	}

	private static Process startRegisteringProcess(String... properties) throws Exception {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						System.getProperty("java.class.path"), RegisteringProcess.class.getName()));
		for (String property : etcd.springProperties()) {
			command.add("--" + property);
		}
		command.addAll(List.of("--etcd.keepalive-ttl=3s", "--service.host=127.0.0.1"));
		for (String property : properties) {
			command.add("--" + property);
		}
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(File.createTempFile("registering-process", ".log"))
			.start();
	}

}
