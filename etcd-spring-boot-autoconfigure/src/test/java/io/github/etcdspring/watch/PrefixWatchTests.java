package io.github.etcdspring.watch;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Response;
import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.etcd.jetcd.impl.AbstractResponse;
import io.etcd.jetcd.options.OptionsUtil;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdspring.client.ClusterRestoreCheck;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.test.ManualScheduler;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static io.github.etcdspring.watch.FakeWatchClient.createdAt;
import static io.github.etcdspring.watch.FakeWatchClient.progressAt;
import static io.github.etcdspring.watch.FakeWatchClient.puts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state machine of {@link PrefixWatch}, with a fake watch client and a manual
 * scheduler: no etcd, no waiting. The real-etcd behaviour is covered by the catalog and
 * config watcher tests.
 */
class PrefixWatchTests {

	private static final ByteSequence PREFIX = ByteSequence.from("app/", StandardCharsets.UTF_8);

	private static final List<KeyRange> RANGES = List.of(KeyRange.prefix(PREFIX));

	private final FakeWatchClient etcd = new FakeWatchClient();

	private final ManualScheduler scheduler = new ManualScheduler();

	private final List<Long> changes = new ArrayList<>();

	private final List<WatchListener.Reset> resets = new ArrayList<>();

	private boolean failOnChanges;

	// what the linearizable read that confirms a revision drop answers
	private final AtomicReference<Response.Header> confirmed = new AtomicReference<>();

	private final WatchListener listener = new WatchListener() {

		@Override
		public void onChanges(List<WatchEvent> events) {
			if (PrefixWatchTests.this.failOnChanges) {
				throw new IllegalStateException("cannot apply");
			}
			events.forEach((event) -> PrefixWatchTests.this.changes.add(event.getKeyValue().getModRevision()));
		}

		@Override
		public void onReset(WatchListener.Reset reset, @Nullable Throwable cause) {
			PrefixWatchTests.this.resets.add(reset);
		}

	};

	private PrefixWatch watch(Recovery recovery) {
		PrefixWatch watch = new PrefixWatch(this.etcd.client(), (key) -> new ClusterRestoreCheck(this.confirmed::get),
				this.scheduler, new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(3)), recovery,
				"the test keys", this.listener);
		watch.open();
		return watch;
	}

	private PrefixWatch started(Recovery recovery, long readRevision) {
		PrefixWatch watch = watch(recovery);
		watch.start(RANGES, readRevision, 1);
		return watch;
	}

	private void deliver(FakeWatchClient.Created watch, io.etcd.jetcd.watch.WatchResponse response) {
		watch.listener.onNext(response);
		this.scheduler.runDue();
	}

	private void fail(FakeWatchClient.Created watch, Throwable error) {
		watch.listener.onError(error);
		this.scheduler.runDue();
	}

	@Test
	void watchesFromTheRevisionReadWithProgressNotifyAndRequireLeader() {
		started(Recovery.RESUME, 10);
		FakeWatchClient.Created created = this.etcd.last();
		assertThat(created.key).isEqualTo(PREFIX);
		assertThat(created.option.getEndKey()).contains(OptionsUtil.prefixEndOf(PREFIX));
		assertThat(created.option.getRevision()).isEqualTo(10);
		assertThat(created.option.isProgressNotify()).isTrue();
		assertThat(created.option.withRequireLeader()).isTrue();
		assertThat(created.option.isNoPut()).isFalse();
		assertThat(created.option.isPrevKV()).isFalse();
	}

	@Test
	void deletionsOnlyAsksForNoPutsAndTheDeletedKeyValues() {
		PrefixWatch watch = watch(Recovery.RESUME).deletionsOnly();
		watch.start(RANGES, 10, 1);
		FakeWatchClient.Created created = this.etcd.last();
		assertThat(created.option.isNoPut()).isTrue();
		assertThat(created.option.isPrevKV()).isTrue();
		assertThat(created.option.getRevision()).isEqualTo(10);
		assertThat(created.option.isProgressNotify()).isTrue();
	}

	@Test
	void resumesFromTheLastRevisionSeenAfterAnErrorWithoutReadingAgain() {
		PrefixWatch watch = started(Recovery.RESUME, 10);
		FakeWatchClient.Created first = this.etcd.last();
		deliver(first, createdAt(1, 10));
		deliver(first, puts(11, 12));
		fail(first, Status.UNAVAILABLE.asRuntimeException());
		assertThat(first.closed).isTrue();
		assertThat(this.scheduler.runNextDelayed()).isBetween(50L, 100L);
		assertThat(this.etcd.created).hasSize(2);
		assertThat(this.etcd.last().option.getRevision()).isEqualTo(12);
		deliver(this.etcd.last(), createdAt(1, 12));
		deliver(this.etcd.last(), puts(12, 13));
		assertThat(this.changes).as("12 was seen before the error").containsExactly(11L, 12L, 13L);
		assertThat(this.resets).isEmpty();
		assertThat(watch.revision()).isEqualTo(13);
	}

	@Test
	void aWatchInPlaceAgainAfterABreakCountsOneReconnectAndIsNoLongerBroken() {
		PrefixWatch watch = started(Recovery.RESUME, 10);
		deliver(this.etcd.last(), createdAt(1, 10));
		assertThat(watch.counts().reconnects()).as("the first creation is no reconnect").isZero();
		assertThat(watch.counts().brokenSince()).isNull();
		fail(this.etcd.last(), Status.UNAVAILABLE.asRuntimeException());
		assertThat(watch.counts().brokenSince()).isNotNull();
		this.scheduler.runNextDelayed();
		fail(this.etcd.last(), Status.UNAVAILABLE.asRuntimeException());
		this.scheduler.runNextDelayed();
		deliver(this.etcd.last(), createdAt(1, 10));
		assertThat(watch.counts().reconnects()).isEqualTo(1);
		assertThat(watch.counts().brokenSince()).isNull();
		deliver(this.etcd.last(), createdAt(1, 10));
		assertThat(watch.counts().reconnects()).as("created again without a break").isEqualTo(1);
	}

	@Test
	void changesTheOwnerFailsToApplyAreReadAgainNotLostAsSeen() {
		this.failOnChanges = true;
		started(Recovery.RESUME, 10);
		FakeWatchClient.Created first = this.etcd.last();
		deliver(first, createdAt(1, 10));
		deliver(first, puts(11));
		assertThat(this.resets).containsExactly(WatchListener.Reset.NOT_APPLIED);
		assertThat(first.closed).isTrue();
	}

	@Test
	void anEndWithoutAnErrorResumesToo() {
		started(Recovery.RESUME, 10);
		this.etcd.last().listener.onCompleted();
		this.scheduler.runDue();
		this.scheduler.runNextDelayed();
		assertThat(this.etcd.last().option.getRevision()).isEqualTo(10);
		assertThat(this.resets).isEmpty();
	}

	@Test
	void progressNotificationsAdvanceTheRevisionToResumeFrom() {
		PrefixWatch watch = started(Recovery.RESUME, 10);
		deliver(this.etcd.last(), progressAt(40));
		assertThat(watch.revision()).isEqualTo(40);
		fail(this.etcd.last(), Status.UNAVAILABLE.asRuntimeException());
		this.scheduler.runNextDelayed();
		assertThat(this.etcd.last().option.getRevision()).isEqualTo(40);
	}

	@Test
	void aCompactedRevisionIsAResetWithoutRetryOfTheWatch() {
		started(Recovery.RESUME, 10);
		FakeWatchClient.Created first = this.etcd.last();
		fail(first, EtcdExceptionFactory.newCompactedException(20));
		assertThat(this.resets).containsExactly(WatchListener.Reset.COMPACTED);
		assertThat(first.closed).isTrue();
		assertThat(this.scheduler.pendingDelays()).as("the owner reads again").isEmpty();
	}

	@Test
	void aBatchTooLargeForTheClientIsAReset() {
		started(Recovery.RESUME, 10);
		fail(this.etcd.last(), Status.RESOURCE_EXHAUSTED.withDescription("grpc: received message larger than max")
			.asRuntimeException());
		assertThat(this.resets).containsExactly(WatchListener.Reset.TOO_LARGE);
	}

	@Test
	void anotherClusterIdIsAReset() {
		started(Recovery.RESUME, 10);
		deliver(this.etcd.last(), createdAt(2, 10));
		assertThat(this.resets).containsExactly(WatchListener.Reset.RESTORED);
		assertThat(this.etcd.last().closed).isTrue();
	}

	@Test
	void aRevisionDropConfirmedByALinearizableReadIsAReset() {
		started(Recovery.RESUME, 10);
		this.confirmed.set(header(1, 3));
		deliver(this.etcd.last(), createdAt(1, 3));
		assertThat(this.resets).containsExactly(WatchListener.Reset.RESTORED);
	}

	@Test
	void aMemberThatLagsIsNoReset() {
		started(Recovery.RESUME, 10);
		this.confirmed.set(header(1, 12));
		deliver(this.etcd.last(), createdAt(1, 7));
		assertThat(this.resets).isEmpty();
		assertThat(this.etcd.last().closed).isFalse();
	}

	@Test
	void aRevisionDropThatCannotBeConfirmedIsRetriedLater() {
		started(Recovery.RESUME, 10);
		deliver(this.etcd.last(), createdAt(1, 7)); // the confirming read throws: nothing
													// confirmed
		assertThat(this.resets).isEmpty();
		assertThat(this.etcd.last().closed).isTrue();
		assertThat(this.scheduler.pendingDelays()).hasSize(1);
	}

	@Test
	void retriesBackOffWithJitterUntilAWatchIsCreated() {
		started(Recovery.RESUME, 10);
		List<Long> delays = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			fail(this.etcd.last(), Status.UNAVAILABLE.asRuntimeException());
			delays.add(this.scheduler.runNextDelayed());
		}
		assertThat(delays.get(0)).isBetween(50L, 100L);
		assertThat(delays.get(1)).isBetween(100L, 200L);
		assertThat(delays.get(2)).isBetween(200L, 400L);
		assertThat(delays.get(3)).isBetween(400L, 800L);
		deliver(this.etcd.last(), createdAt(1, 10));
		fail(this.etcd.last(), Status.UNAVAILABLE.asRuntimeException());
		assertThat(this.scheduler.runNextDelayed()).as("a created watch starts the backoff again").isBetween(50L, 100L);
	}

	@Test
	void lateCallbacksOfAReplacedWatchAreDropped() {
		started(Recovery.RESUME, 10);
		FakeWatchClient.Created first = this.etcd.last();
		fail(first, Status.UNAVAILABLE.asRuntimeException());
		this.scheduler.runNextDelayed();
		deliver(first, puts(11));
		first.listener.onError(EtcdExceptionFactory.newCompactedException(20));
		this.scheduler.runDue();
		assertThat(this.changes).isEmpty();
		assertThat(this.resets).isEmpty();
		assertThat(this.etcd.last().closed).isFalse();
	}

	@Test
	void nothingHappensAfterCloseNotEvenARetryScheduledBefore() {
		PrefixWatch watch = started(Recovery.RESUME, 10);
		FakeWatchClient.Created first = this.etcd.last();
		first.listener.onNext(puts(11)); // queued on the busy executor
		watch.close();
		this.scheduler.runDue();
		assertThat(this.changes).isEmpty();
		assertThat(first.closed).as("closed without the executor").isTrue();
		watch.open();
		watch.start(RANGES, 10, 1);
		fail(this.etcd.last(), Status.UNAVAILABLE.asRuntimeException());
		assertThat(this.scheduler.pendingDelays()).hasSize(1);
		watch.close();
		assertThat(this.scheduler.pendingDelays()).as("cancelled").isEmpty();
		assertThat(this.etcd.created).hasSize(2);
	}

	@Test
	void aRetryOfAnEarlierLifecycleStartsNothing() {
		PrefixWatch watch = started(Recovery.RESUME, 10);
		List<String> ran = new ArrayList<>();
		watch.retryLater(() -> ran.add("first")); // replaced as the pending retry:
													// close() cannot cancel it
		watch.retryLater(() -> ran.add("second"));
		watch.close();
		watch.open();
		assertThat(this.scheduler.pendingDelays()).hasSize(1);
		this.scheduler.runNextDelayed();
		assertThat(ran).isEmpty();
	}

	@Test
	void aWatchStartedAfterCloseIsNotCreated() {
		PrefixWatch watch = watch(Recovery.RESUME);
		watch.close(); // while the owner was reading
		watch.start(RANGES, 10, 1);
		assertThat(this.etcd.created).isEmpty();
		assertThat(watch.isIdle()).isTrue();
	}

	@Test
	void readAgainAsksTheOwnerToReadOnEveryBreak() {
		started(Recovery.READ_AGAIN, 10);
		fail(this.etcd.last(), Status.UNAVAILABLE.asRuntimeException());
		assertThat(this.resets).containsExactly(WatchListener.Reset.BROKEN);
		assertThat(this.scheduler.pendingDelays()).as("the owner retries its read").isEmpty();
	}

	@Test
	void theWholeKeyspaceIsWatchedFromTheZeroByteToTheEnd() {
		PrefixWatch watch = watch(Recovery.RESUME);
		watch.start(List.of(KeyRange.prefix(ByteSequence.EMPTY)), 10, 0);
		ByteSequence zero = ByteSequence.from(new byte[] { 0 });
		FakeWatchClient.Created created = this.etcd.last();
		assertThat(created.key).as("etcd refuses an empty key").isEqualTo(zero);
		assertThat(created.option.getEndKey()).as("\\0: every key from the start on").contains(zero);
	}

	@Test
	void eachRangeDeliversTheChangesOfARevisionTheOtherRangeDeliveredAndResumesFromItsOwn() {
		PrefixWatch watch = watch(Recovery.RESUME);
		ByteSequence other = ByteSequence.from("kitex/", StandardCharsets.UTF_8);
		watch.start(List.of(KeyRange.prefix(PREFIX), KeyRange.prefix(other)), 10, 1);
		deliver(this.etcd.created.get(0), puts(11, 12));
		deliver(this.etcd.created.get(1), puts(11));
		assertThat(this.changes).as("one transaction over both ranges").containsExactly(11L, 12L, 11L);
		assertThat(watch.revision()).as("seen by both ranges").isEqualTo(11);
		deliver(this.etcd.created.get(1), progressAt(14));
		assertThat(watch.revision()).isEqualTo(12);

		fail(this.etcd.created.get(0), Status.UNAVAILABLE.asRuntimeException());
		this.scheduler.advance(Duration.ofSeconds(1));
		assertThat(this.etcd.created).hasSize(4);
		assertThat(this.etcd.created.get(2).option.getRevision()).isEqualTo(12);
		assertThat(this.etcd.created.get(3).option.getRevision()).isEqualTo(14);
	}

	@Test
	void severalRangesShareTheWatchLifecycle() {
		PrefixWatch watch = watch(Recovery.READ_AGAIN);
		ByteSequence document = ByteSequence.from("config/app.yaml", StandardCharsets.UTF_8);
		watch.start(List.of(KeyRange.prefix(PREFIX), new KeyRange(document, false)), 10, 0);
		assertThat(this.etcd.created).hasSize(2);
		assertThat(this.etcd.created.get(1).option.getEndKey()).as("the key alone").isEmpty();
		deliver(this.etcd.created.get(0), createdAt(5, 10));
		deliver(this.etcd.created.get(1), puts(11));
		assertThat(this.changes).containsExactly(11L);
		fail(this.etcd.created.get(1), Status.UNAVAILABLE.asRuntimeException());
		assertThat(this.etcd.created).allMatch((created) -> created.closed);
		assertThat(this.resets).containsExactly(WatchListener.Reset.BROKEN);
	}

	private static Response.Header header(long clusterId, long revision) {
		return new TestResponse(FakeWatchClient.header(clusterId, revision)).getHeader();
	}

	private static final class TestResponse extends AbstractResponse<io.etcd.jetcd.api.ResponseHeader> {

		TestResponse(io.etcd.jetcd.api.ResponseHeader header) {
			super(header, header);
		}

	}

}
