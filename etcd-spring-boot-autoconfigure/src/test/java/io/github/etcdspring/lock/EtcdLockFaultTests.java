package io.github.etcdspring.lock;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdspring.lock.LockFaults.Contender;
import io.github.etcdspring.lock.LockFaults.Watched;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.etcdspring.lock.LockFaults.BOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Locks through real faults of a single etcd member, with a session TTL of 2s: never two
 * holders as etcd sees them, every holder whose lease is lost told, its unlock reporting
 * it, and a later lock working on a new session.
 */
class EtcdLockFaultTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final LockFaults faults = new LockFaults(etcd);

	@AfterEach
	void stop() {
		this.faults.close();
	}

	@Test
	void etcdKilledAndRestartedWithItsDataKeepsTheLockOrReportsItsLoss() throws Exception {
		EtcdLockRegistry holderLocks = this.faults.locks();
		Watched holder = Watched.of(holderLocks.lock("job"));
		Contender waiter = this.faults.contender(this.faults.locks());
		await().atMost(BOUND).until(() -> keys().size() == 2);
		etcd.kill(0);
		etcd.restart(0);
		await().atMost(BOUND).until(() -> holder.toldLost() || holder.heldInEtcd());
		if (waiter.holds()) {
			assertThat(holder.toldLost()).isTrue();
		}
		handOver(this.faults, holder, waiter);
		this.faults.assertTheNextLockWorks(holderLocks, holder);
	}

	@Test
	void etcdRestartedWithoutItsDataLosesTheLockAndTellsTheHolder() throws Exception {
		EtcdLockRegistry holderLocks = this.faults.locks();
		Watched holder = Watched.of(holderLocks.lock("job"));
		etcd.restartWithoutData();
		await().atMost(BOUND).until(holder::toldLost);
		assertThat(holder.lock().isHeld()).isFalse();
		Contender next = this.faults.contender(this.faults.locks());
		Watched nextHolder = next.awaitLock();
		this.faults.assertAtMostOneHolderAndLossesTold(holder, nextHolder);
		holder.unlockReportingAnyLoss();
		next.unlock();
		// no fencing token comparison: a wiped etcd starts its revisions again from 1
		this.faults.assertTheNextLockWorks(holderLocks, holder);
	}

	@Test
	void etcdPausedPastTheSessionTtlLosesTheLockTellsTheHolderAndTheWaiterGetsIt() throws Exception {
		EtcdLockRegistry holderLocks = this.faults.locks();
		Watched holder = Watched.of(holderLocks.lock("job"));
		Contender next = this.faults.contender(this.faults.locks());
		await().atMost(BOUND).until(() -> keys().size() == 2);
		etcd.pause(0);
		try {
			await().atMost(BOUND).until(holder::toldLost);
		}
		finally {
			etcd.resume(0);
		}
		Watched waiter = next.awaitLock();
		this.faults.assertAtMostOneHolderAndLossesTold(holder, waiter);
		assertThat(waiter.heldInEtcd()).isTrue();
		assertThat(waiter.lock().fencingToken()).isGreaterThan(holder.lock().fencingToken());
		holder.unlockReportingAnyLoss();
		next.unlock();
		this.faults.assertTheNextLockWorks(holderLocks, holder);
	}

	@Test
	void aTryWhileEtcdIsPausedFailsInsteadOfWaitingAndLeavesNoKey() throws Exception {
		EtcdLockRegistry locks = this.faults.locks();
		locks.lock("warm-up").unlock();
		etcd.pause(0);
		try {
			CompletableFuture<EtcdLock> tried = CompletableFuture.supplyAsync(() -> locks.tryLock("job"));
			await().atMost(BOUND).until(tried::isDone);
			assertThat(tried).isCompletedExceptionally();
		}
		finally {
			etcd.resume(0);
		}
		await().atMost(BOUND).until(() -> keys().isEmpty());
		try (EtcdLock lock = locks.tryLock("job")) {
			assertThat(lock).isNotNull();
		}
	}

	@Test
	void aHolderProcessKilledWithSigkillLosesTheLockToAWaiterAfterItsTtl() throws Exception {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						System.getProperty("java.class.path"), LockHoldingProcess.class.getName()));
		for (String property : etcd.springProperties()) {
			command.add("--" + property);
		}
		command.addAll(List.of("--etcd.coordination.session-ttl=2s"));
		File log = File.createTempFile("lock-holding-process", ".log");
		log.deleteOnExit();
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
		long processToken;
		try {
			await().atMost(BOUND).until(() -> Files.readString(log.toPath(), StandardCharsets.UTF_8).contains("HELD "));
			processToken = keys().get(0).getCreateRevision();
			Contender waiter = this.faults.contender(this.faults.locks());
			await().atMost(BOUND).until(() -> keys().size() == 2);
			assertThat(waiter.holds()).isFalse();
			process.destroyForcibly().waitFor();
			EtcdLock lock = waiter.awaitLock().lock();
			assertThat(lock.fencingToken()).isGreaterThan(processToken);
			assertThat(keys()).extracting((key) -> key.getKey().toString(StandardCharsets.UTF_8))
				.containsExactly(lock.key());
			waiter.unlock();
			assertThat(keys()).isEmpty();
		}
		finally {
			process.destroyForcibly().waitFor();
		}
	}

	/**
	 * The holder, kept or lost, unlocks (reporting a loss), and the waiter gets the lock
	 * without overlapping it.
	 */
	static void handOver(LockFaults faults, Watched holder, Contender waiter) throws Exception {
		faults.assertAtMostOneHolderAndLossesTold(holder);
		if (!holder.toldLost()) {
			assertThat(waiter.holds()).isFalse();
		}
		holder.unlockReportingAnyLoss();
		Watched next = waiter.awaitLock();
		faults.assertAtMostOneHolderAndLossesTold(holder, next);
		assertThat(next.lock().fencingToken()).isGreaterThan(holder.lock().fencingToken());
		waiter.unlock();
	}

	private static List<KeyValue> keys() throws Exception {
		return EtcdKeys.await(etcd.client()
			.getKVClient()
			.get(ByteSequence.from("locks/job/", StandardCharsets.UTF_8), GetOption.builder().isPrefix(true).build()))
			.getKvs();
	}

}
