package io.github.etcdspring.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import io.github.etcdspring.benchmarks.peer.ProbeApplication;

/**
 * The configuration figures of {@link PeerBenchmark}, measured with the same code for
 * each {@link PeerSide}, the sides taking turns change by change, each with the default
 * settings of its integration:
 * <ul>
 * <li>from a write of {@value ProbeApplication#PROPERTY} to the writer application's
 * {@code @RefreshScope} bean returning the new value (polled every 50 microseconds),
 * split at the {@code RefreshEvent} when the integration publishes one; the floor is the
 * write reaching a plain watch of another client;</li>
 * <li>a burst of {@value #BURST} properties written one after the other: how many
 * refreshes follow, and when the last one ends after the last write was sent.</li>
 * </ul>
 *
 * @author etcd-spring-boot contributors
 */
final class PeerRefreshFigures {

	static final String VISIBLE = "refresh visible";

	static final String REFRESH_EVENT = "refresh event";

	static final String EVENT_TO_VISIBLE = "event to visible";

	static final String WATCHED = "refresh floor watched";

	static final String BURST_REFRESHES = "burst refreshes";

	static final String BURST_LAST = "burst last refresh";

	static final int BURST = 50;

	/**
	 * How long no refresh may start for a burst to count as over.
	 */
	private static final Duration QUIET = Duration.ofSeconds(1);

	/**
	 * Time from the end of one change of a side to its next: each is a single change, not
	 * part of a burst, for both sides (the starter merges the changes that follow a
	 * refresh within its quiet period, {@code etcd.config.watch.delay}, 100 ms; without
	 * this pause, the other side's refresh in between, about 80 ms, would put every etcd
	 * change into that period).
	 */
	private static final Duration ISOLATION = Duration.ofMillis(250);

	private PeerRefreshFigures() {
	}

	/**
	 * The properties the writer application imports, to write before it starts.
	 * @return the properties
	 */
	static List<String> properties() {
		return IntStream.range(-1, BURST)
			.mapToObj((i) -> (i < 0) ? ProbeApplication.PROPERTY : burstProperty(i))
			.toList();
	}

	/**
	 * Change {@value ProbeApplication#PROPERTY} {@code warmup + changes} times on each
	 * side, recording the last {@code changes}.
	 * @param sides the sides
	 * @param warmup unrecorded changes
	 * @param changes recorded changes
	 */
	static void changes(List<PeerSide> sides, int warmup, int changes) {
		long[] lastChange = new long[sides.size()];
		for (int i = 0; i < warmup + changes; i++) {
			for (int s = 0; s < sides.size(); s++) {
				long isolatedFrom = lastChange[s] + ISOLATION.toNanos();
				while (System.nanoTime() < isolatedFrom) {
					LockSupport.parkNanos(isolatedFrom - System.nanoTime());
				}
				change(sides.get(s), "value-" + i, i >= warmup);
				lastChange[s] = System.nanoTime();
			}
		}
	}

	/**
	 * Write {@value #BURST} properties back to back {@code 1 + rounds} times on each
	 * side, recording the last {@code rounds}.
	 * @param sides the sides
	 * @param rounds recorded bursts
	 */
	static void bursts(List<PeerSide> sides, int rounds) {
		for (int round = 0; round <= rounds; round++) {
			for (PeerSide side : sides) {
				burst(side, "burst-" + round, round > 0);
			}
		}
	}

	private static void change(PeerSide side, String value, boolean record) {
		int refreshesBefore = side.timeline.refreshes();
		int eventsBefore = side.timeline.refreshEvents();
		Map<String, CompletableFuture<Long>> arrivals = new ConcurrentHashMap<>();
		CompletableFuture<Long> watched = new CompletableFuture<>();
		arrivals.put(ProbeApplication.PROPERTY, watched);
		try (AutoCloseable watch = side.store.watchConfig(side.name,
				(property) -> arrivals.getOrDefault(property, new CompletableFuture<>()).complete(System.nanoTime()))) {
			long start = System.nanoTime();
			CompletableFuture<Void> written = side.store.writeConfig(side.name, ProbeApplication.PROPERTY, value);
			PeerSide.awaitMicros(() -> value.equals(side.value.value()),
					"the @RefreshScope bean of " + side.store.label() + " to return " + value);
			long visibleAt = System.nanoTime();
			PeerSide.awaitMicros(() -> side.timeline.refreshes() > refreshesBefore,
					"the end of the refresh of " + side.store.label());
			PeerSide.join(written);
			long watchedAt = PeerSide.join(watched);
			if (record) {
				side.record(VISIBLE, visibleAt - start);
				side.record(WATCHED, watchedAt - start);
				if (side.timeline.refreshEvents() > eventsBefore) {
					side.record(REFRESH_EVENT, side.timeline.refreshEventAt() - start);
					side.record(EVENT_TO_VISIBLE, visibleAt - side.timeline.refreshEventAt());
				}
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("Change of " + side.store.label() + " failed: " + ex, ex);
		}
	}

	private static void burst(PeerSide side, String value, boolean record) {
		int refreshesBefore = side.timeline.refreshes();
		long lastWrite = 0;
		for (int i = 0; i < BURST; i++) {
			lastWrite = System.nanoTime();
			PeerSide.join(side.store.writeConfig(side.name, burstProperty(i), value));
		}
		PeerSide.await(() -> value.equals(side.property(burstProperty(BURST - 1))), Duration.ofMillis(1),
				side.store.label() + " to apply the last write of a burst");
		long deadline = System.nanoTime() + PeerSide.TIMEOUT.toNanos();
		int refreshes = side.timeline.refreshes();
		long quietSince = System.nanoTime();
		while (System.nanoTime() - quietSince < QUIET.toNanos()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException(side.store.label() + " still refreshes " + PeerSide.TIMEOUT
						+ " after a burst of " + BURST + " writes");
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
			if (side.timeline.refreshes() != refreshes) {
				refreshes = side.timeline.refreshes();
				quietSince = System.nanoTime();
			}
		}
		if (record) {
			side.record(BURST_REFRESHES, refreshes - refreshesBefore);
			side.record(BURST_LAST, side.timeline.refreshedAt() - lastWrite);
		}
	}

	private static String burstProperty(int index) {
		return "bench.burst." + index;
	}

}
