package io.github.etcdspring.lock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdspring.coordination.HoldLostException;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link EtcdLockRegistry} against a real etcd, with {@code etcdctl lock} as the Go
 * client of the same locks.
 */
class EtcdLockRegistryTests {

	private static final Duration BOUND = Duration.ofSeconds(20);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final List<ConfigurableApplicationContext> apps = new CopyOnWriteArrayList<>();

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final Etcdctl etcdctl = new Etcdctl(etcd);

	@AfterEach
	void stop() throws InterruptedException {
		this.threads.shutdownNow();
		this.etcdctl.close();
		this.apps.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void aLockIsHeldUnderTheKeyEtcdctlUsesAndUnlockDeletesItOnce() throws Exception {
		EtcdLock lock = locks().lock("job");
		KeyValue key = keys("locks/job/").get(0);
		assertThat(lock.name()).isEqualTo("job");
		assertThat(lock.key()).isEqualTo("locks/job/" + Long.toHexString(key.getLease()))
			.isEqualTo(key.getKey().toString(StandardCharsets.UTF_8));
		assertThat(lock.fencingToken()).isEqualTo(key.getCreateRevision());
		assertThat(lock.isHeld()).isTrue();
		assertThat(lock.verify()).isTrue();
		lock.unlock();
		assertThat(keys("locks/job/")).isEmpty();
		assertThat(lock.isHeld()).isFalse();
		lock.close();
	}

	@Test
	void underANamespaceTheKeyIsUnderTheNamespaceWhereEtcdctlFindsItByTheFullName() throws Exception {
		EtcdLock lock = locks("etcd.namespace=/tenant/", "etcd.lock.prefix=mutexes").lock("job");
		assertThat(lock.key()).startsWith("mutexes/job/");
		assertThat(keys("/tenant/mutexes/job/")).singleElement()
			.satisfies((key) -> assertThat(name(key)).isEqualTo("/tenant/" + lock.key()));
		Process waiter = this.etcdctl.lock("/tenant/mutexes/job", "echo", "acquired");
		await().atMost(BOUND).until(() -> keys("/tenant/mutexes/job/").size() == 2);
		assertThat(waiter.isAlive()).isTrue();
		lock.unlock();
		assertThat(waiter.waitFor(20, TimeUnit.SECONDS)).isTrue();
		assertThat(this.etcdctl.output(waiter)).contains("acquired");
	}

	@Test
	void threadsOfTwoApplicationsAndEtcdctlLoseNoUpdateOfACounterWrittenUnderTheLock() throws Exception {
		long from = etcd.client().getKVClient().get(EtcdKeys.bytes("counter")).get().getHeader().getRevision() + 1;
		EtcdKeys.put(etcd.client(), "counter", "0 nobody");
		List<Future<?>> writers = new ArrayList<>();
		for (EtcdLockRegistry locks : List.of(locks(), locks())) {
			for (int thread = 0; thread < 2; thread++) {
				writers.add(this.threads.submit(() -> {
					for (int i = 0; i < 5; i++) {
						try (EtcdLock lock = locks.lock("counter")) {
							increment(lock.key());
						}
					}
					return null;
				}));
			}
		}
		String script = "v=$(" + this.etcdctl.commandLine() + " get counter --print-value-only | cut -d' ' -f1); "
				+ this.etcdctl.commandLine() + " put counter \"$((v+1)) $ETCD_LOCK_KEY\"";
		writers.add(this.threads.submit(() -> {
			for (int i = 0; i < 10; i++) {
				this.etcdctl.runLocked("locks/counter", script);
			}
			return null;
		}));
		for (Future<?> writer : writers) {
			writer.get(2, TimeUnit.MINUTES);
		}
		assertThat(EtcdKeys.get(etcd.client(), "counter")).startsWith("30 ");
		assertThat(LockHistory.assertEveryWriteByTheHolder(etcd.client(), from, "locks/counter/", "counter"))
			.isEqualTo(30);
	}

	@Test
	void tryLockReturnsNothingAtOnceWhileAnotherApplicationHolds() throws Exception {
		try (EtcdLock held = locks().lock("job")) {
			EtcdLockRegistry other = locks();
			CompletableFuture<EtcdLock> tried = CompletableFuture.supplyAsync(() -> other.tryLock("job"));
			await().atMost(BOUND).until(tried::isDone);
			assertThat(tried.get()).isNull();
			assertThat(held.isHeld()).isTrue();
			assertThat(keys("locks/job/")).extracting(this::name).containsExactly(held.key());
		}
	}

	@Test
	void tryLockReturnsNothingAtOnceWhileEtcdctlHolds() throws Exception {
		Process holder = this.etcdctl.lock("locks/job");
		await().atMost(BOUND).until(() -> this.etcdctl.output(holder).startsWith("locks/job/"));
		CompletableFuture<EtcdLock> tried = CompletableFuture.supplyAsync(() -> locks().tryLock("job"));
		await().atMost(BOUND).until(tried::isDone);
		assertThat(tried.get()).isNull();
		assertThat(holder.isAlive()).isTrue();
		assertThat(keys("locks/job/")).hasSize(1);
	}

	@Test
	void aWaiterThatTimesOutLeavesNoKey() throws Exception {
		try (EtcdLock held = locks().lock("job")) {
			EtcdLockRegistry waiter = locks();
			assertThat(waiter.tryLock("job", Duration.ofMillis(300))).isNull();
			await().atMost(BOUND).until(() -> keys("locks/job/").size() == 1);
			assertThat(keys("locks/job/")).extracting(this::name).containsExactly(held.key());
			assertThatExceptionOfType(TimeoutException.class)
				.isThrownBy(() -> waiter.executeLocked("job", Duration.ofMillis(200), () -> {
				}))
				.withMessageContaining("'job'");
			await().atMost(BOUND).until(() -> keys("locks/job/").size() == 1);
			assertThat(keys("locks/job/")).extracting(this::name).containsExactly(held.key());
			assertThat(waiter.localLockCount()).isZero();
		}
	}

	@Test
	void anInterruptedWaiterLeavesNoKey() throws Exception {
		try (EtcdLock held = locks().lock("job")) {
			EtcdLockRegistry waiter = locks();
			Future<EtcdLock> waiting = this.threads.submit(() -> waiter.lock("job"));
			await().atMost(BOUND).until(() -> keys("locks/job/").size() == 2);
			waiting.cancel(true);
			await().atMost(BOUND).until(() -> keys("locks/job/").size() == 1);
			assertThat(keys("locks/job/")).extracting(this::name).containsExactly(held.key());
			await().atMost(BOUND).until(() -> waiter.localLockCount() == 0);
		}
	}

	@Test
	void fencingTokensStrictlyIncreaseAcrossHolders() throws Exception {
		EtcdLockRegistry first = locks();
		EtcdLockRegistry second = locks();
		List<Long> tokens = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			for (EtcdLockRegistry locks : List.of(first, second)) {
				try (EtcdLock lock = locks.lock("job")) {
					tokens.add(lock.fencingToken());
				}
			}
		}
		this.etcdctl.runLocked("locks/job", "true");
		EtcdLock waited;
		try (EtcdLock held = first.lock("job")) {
			tokens.add(held.fencingToken());
			Future<EtcdLock> waiting = this.threads.submit(() -> second.lock("job"));
			await().atMost(BOUND).until(() -> keys("locks/job/").size() == 2);
			held.unlock();
			waited = waiting.get(20, TimeUnit.SECONDS);
		}
		tokens.add(waited.fencingToken());
		assertThat(tokens).hasSize(8).isSorted().doesNotHaveDuplicates();
	}

	@Test
	void etcdctlWaitsWhileJavaHoldsAndGetsTheLockOnceJavaUnlocks() throws Exception {
		EtcdLock held = locks().lock("job");
		Process waiter = this.etcdctl.lock("locks/job", "echo", "acquired");
		await().atMost(BOUND).until(() -> keys("locks/job/").size() == 2);
		assertThat(waiter.isAlive()).isTrue();
		held.unlock();
		assertThat(waiter.waitFor(20, TimeUnit.SECONDS)).isTrue();
		assertThat(this.etcdctl.output(waiter)).contains("acquired");
		assertThat(keys("locks/job/")).isEmpty();
	}

	@Test
	void javaWaitsWhileEtcdctlHoldsAndGetsTheLockOnceEtcdctlExits() throws Exception {
		Process holder = this.etcdctl.lock("locks/job");
		await().atMost(BOUND).until(() -> this.etcdctl.output(holder).startsWith("locks/job/"));
		long etcdctlToken = keys("locks/job/").get(0).getCreateRevision();
		EtcdLockRegistry locks = locks();
		Future<EtcdLock> waiting = this.threads.submit(() -> locks.lock("job"));
		await().atMost(BOUND).until(() -> keys("locks/job/").size() == 2);
		assertThat(waiting).isNotDone();
		holder.destroy();
		EtcdLock lock = waiting.get(20, TimeUnit.SECONDS);
		assertThat(keys("locks/job/")).extracting(this::name).containsExactly(lock.key());
		assertThat(lock.fencingToken()).isGreaterThan(etcdctlToken);
	}

	@Test
	void threadsOfOneApplicationExcludeEachOtherAndTheHoldingThreadMayLockAgain() throws Exception {
		EtcdLockRegistry locks = locks();
		EtcdLock outer = locks.lock("job");
		EtcdLock inner = locks.tryLock("job");
		assertThat(inner).isNotNull();
		assertThat(inner.fencingToken()).isEqualTo(outer.fencingToken());
		assertThat(CompletableFuture.supplyAsync(() -> locks.tryLock("job")).get(20, TimeUnit.SECONDS)).isNull();
		Future<EtcdLock> other = this.threads.submit(() -> locks.lock("job"));
		inner.unlock();
		inner.unlock();
		assertThat(keys("locks/job/")).extracting(this::name).containsExactly(outer.key());
		assertThat(other).isNotDone();
		outer.unlock();
		EtcdLock next = other.get(20, TimeUnit.SECONDS);
		assertThat(next.fencingToken()).isGreaterThan(outer.fencingToken());
		assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(next::unlock)
			.withMessageContaining("'job'");
		assertThat(next.isHeld()).isTrue();
	}

	@Test
	void localLocksAreForgottenOnceNoThreadWaitsForOrHoldsThem() throws Exception {
		EtcdLockRegistry locks = locks();
		AtomicInteger runs = new AtomicInteger();
		for (int i = 0; i < 20; i++) {
			locks.executeLocked("job-" + i, runs::incrementAndGet);
			assertThat(locks.executeLocked("job-" + i, Duration.ofSeconds(5), () -> runs.incrementAndGet()))
				.isEqualTo(runs.get());
		}
		assertThat(runs).hasValue(40);
		assertThat(locks.localLockCount()).isZero();
		try (EtcdLock held = locks.lock("job")) {
			assertThat(locks.localLockCount()).isOne();
		}
		assertThat(locks.localLockCount()).isZero();
	}

	@Test
	void aLockWhoseKeyIsDeletedIsReportedLostAndUnlockingItSaysSo() throws Exception {
		EtcdLockRegistry locks = locks();
		EtcdLock lock = locks.lock("job");
		List<String> losses = new CopyOnWriteArrayList<>();
		lock.onLoss(losses::add);
		EtcdKeys.delete(etcd.client(), lock.key());
		await().atMost(BOUND).until(() -> !losses.isEmpty());
		assertThat(lock.isHeld()).isFalse();
		assertThatExceptionOfType(HoldLostException.class).isThrownBy(() -> locks.lock("job"))
			.withMessageContaining("'job'");
		assertThatExceptionOfType(HoldLostException.class).isThrownBy(lock::unlock)
			.withMessageContaining("'job' was lost");
		lock.unlock();
		try (EtcdLock again = locks.lock("job")) {
			assertThat(again.fencingToken()).isGreaterThan(lock.fencingToken());
		}
		assertThat(locks.localLockCount()).isZero();
	}

	@Test
	void aLockLostWhileATaskRunsUnderItFailsTheTask() throws Exception {
		EtcdLockRegistry locks = locks();
		assertThatExceptionOfType(HoldLostException.class).isThrownBy(() -> locks.executeLocked("job", () -> {
			EtcdKeys.delete(etcd.client(), name(keys("locks/job/").get(0)));
			return "done";
		})).withMessageContaining("'job' was lost").withMessageContaining("locks/job/");
	}

	@Test
	void invalidNamesAreRefusedNamingTheName() {
		EtcdLockRegistry locks = locks();
		assertThatIllegalArgumentException().isThrownBy(() -> locks.lock("")).withMessageContaining("empty");
		assertThatIllegalArgumentException().isThrownBy(() -> locks.tryLock("reports/daily"))
			.withMessageContaining("'reports/daily'");
		assertThatIllegalArgumentException().isThrownBy(() -> locks.tryLock("x".repeat(2000)))
			.withMessageContaining("xxxx")
			.withMessageContaining("longer than");
		assertThat(locks.localLockCount()).isZero();
	}

	private void increment(String holder) {
		String value = EtcdKeys.get(etcd.client(), "counter");
		long count = Long.parseLong(value.split(" ")[0]);
		EtcdKeys.put(etcd.client(), "counter", (count + 1) + " " + holder);
	}

	private EtcdLockRegistry locks(String... properties) {
		ConfigurableApplicationContext app = LockTestApplication.start(etcd, properties);
		this.apps.add(app);
		return LockTestApplication.locks(app);
	}

	private List<KeyValue> keys(String prefix) throws Exception {
		return etcd.client()
			.getKVClient()
			.get(ByteSequence.from(prefix, StandardCharsets.UTF_8), GetOption.builder().isPrefix(true).build())
			.get()
			.getKvs();
	}

	private String name(KeyValue key) {
		return key.getKey().toString(StandardCharsets.UTF_8);
	}

}
