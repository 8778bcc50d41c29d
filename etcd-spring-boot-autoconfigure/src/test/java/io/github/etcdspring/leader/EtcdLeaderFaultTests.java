package io.github.etcdspring.leader;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static io.github.etcdspring.leader.LeaderFaults.BOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application's leadership through faults of a single-member etcd, with a 2s session
 * TTL: the leader whose session is lost is told, nobody leads while etcd shows another,
 * and the applications campaign again afterwards.
 */
class EtcdLeaderFaultTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private LeaderFaults faults;

	@AfterEach
	void close() {
		if (this.faults != null) {
			this.faults.close();
		}
	}

	@Test
	void etcdKilledAndRestartedWithItsData() {
		this.faults = new LeaderFaults(etcd);
		this.faults.startLeaderAndCandidate();
		Leadership before = this.faults.awaitOneLeaderAsEtcdSeesIt();
		etcd.kill(0);
		try {
			// down for longer than the TTL: the leader cannot renew its session
			await().atMost(BOUND).until(() -> this.faults.events(0).lost());
		}
		finally {
			etcd.restart(0);
		}
		Leadership after = this.faults.awaitOneLeaderAsEtcdSeesIt();
		assertThat(after.fencingToken()).isGreaterThan(before.fencingToken());
		// both campaign again
		await().atMost(BOUND).until(() -> ElectionKeys.count(etcd) == 2);
		this.faults.assertEveryGrantedTermLedAsEtcdSawIt();
	}

	@Test
	void etcdKilledAndRestartedWiped() {
		this.faults = new LeaderFaults(etcd);
		this.faults.startLeaderAndCandidate();
		this.faults.awaitOneLeaderAsEtcdSeesIt();
		etcd.restartWithoutData();
		await().atMost(BOUND).until(() -> this.faults.events(0).lost());
		this.faults.awaitOneLeaderAsEtcdSeesIt();
		// both campaign again
		await().atMost(BOUND).until(() -> ElectionKeys.count(etcd) == 2);
		this.faults.assertEveryGrantedTermLedAsEtcdSawIt();
	}

	@Test
	void etcdPausedPastTheTtl() {
		this.faults = new LeaderFaults(etcd);
		this.faults.startLeaderAndCandidate();
		Leadership before = this.faults.awaitOneLeaderAsEtcdSeesIt();
		etcd.pause(0);
		try {
			await().atMost(BOUND).until(() -> this.faults.events(0).lost());
			assertThat(LeaderFaults.initiator(this.faults.leader()).isLeader()).isFalse();
		}
		finally {
			etcd.resume(0);
		}
		Leadership after = this.faults.awaitOneLeaderAsEtcdSeesIt();
		assertThat(after.fencingToken()).isGreaterThan(before.fencingToken());
		// both campaign again
		await().atMost(BOUND).until(() -> ElectionKeys.count(etcd) == 2);
		this.faults.assertEveryGrantedTermLedAsEtcdSawIt();
	}

	@Test
	void aLeaderProcessKilledWithSigkillIsReplacedAfterItsSessionTtl() throws Exception {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						System.getProperty("java.class.path"), LeaderProcess.class.getName()));
		for (String property : etcd.springProperties()) {
			command.add("--" + property);
		}
		command.addAll(List.of("--etcd.coordination.session-ttl=2s", "--etcd.leader.proposal=doomed"));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(File.createTempFile("leader-process", ".log"))
			.start();
		ConfigurableApplicationContext survivor = null;
		try {
			await().atMost(BOUND)
				.ignoreExceptions()
				.until(() -> ElectionKeys.of(etcd, "elections/job/")
					.get(0)
					.getValue()
					.toString(StandardCharsets.UTF_8)
					.equals("doomed"));
			survivor = LeaderTestApplication.start(etcd, "survivor");
			await().atMost(BOUND).until(() -> ElectionKeys.count(etcd) == 2);
			assertThat(LeaderFaults.initiator(survivor).isLeader()).isFalse();
		}
		finally {
			process.destroyForcibly().waitFor();
		}
		try (ConfigurableApplicationContext app = survivor) {
			await().atMost(BOUND).until(() -> LeaderFaults.initiator(app).isLeader());
			assertThat(app.getBean(EtcdLeaderElection.class).leader("job"))
				.hasValueSatisfying((leader) -> assertThat(leader.proposal()).isEqualTo("survivor"));
		}
	}

}
