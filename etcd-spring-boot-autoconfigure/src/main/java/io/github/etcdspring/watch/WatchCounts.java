package io.github.etcdspring.watch;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link PrefixWatch} went through since it was created: the changes it handed to
 * its owner, the times it was watched again after breaking, and its resets by reason.
 * Updated on the owner's executor, read by any thread (the endpoint, the meters).
 *
 * @author etcd-spring-boot contributors
 */
public final class WatchCounts {

	private final AtomicLong events = new AtomicLong();

	private final AtomicLong reconnects = new AtomicLong();

	private final Map<WatchListener.Reset, AtomicLong> resets = new EnumMap<>(WatchListener.Reset.class);

	private volatile @Nullable Instant lastEventTime;

	private volatile @Nullable LastReset lastReset;

	private volatile @Nullable Instant brokenSince;

	WatchCounts() {
		for (WatchListener.Reset reset : WatchListener.Reset.values()) {
			this.resets.put(reset, new AtomicLong());
		}
	}

	/**
	 * How many changes (events) the owner applied.
	 * @return the count
	 */
	public long events() {
		return this.events.get();
	}

	/**
	 * How many times the watch broke (an error, an end, a reset) and was then in place
	 * again.
	 * @return the count
	 */
	public long reconnects() {
		return this.reconnects.get();
	}

	/**
	 * How many times the owner had to read again for a reason.
	 * @param reason the reason
	 * @return the count
	 */
	public long resets(WatchListener.Reset reason) {
		return this.resets.get(reason).get();
	}

	/**
	 * How many times the owner had to read again, whatever the reason.
	 * @return the count
	 */
	public long resets() {
		return this.resets.values().stream().mapToLong(AtomicLong::get).sum();
	}

	/**
	 * When the owner last applied changes.
	 * @return the time, or {@code null} when never
	 */
	public @Nullable Instant lastEventTime() {
		return this.lastEventTime;
	}

	/**
	 * The last reset.
	 * @return the reset, or {@code null} when never
	 */
	public @Nullable LastReset lastReset() {
		return this.lastReset;
	}

	/**
	 * Since when the watch is broken: from the error, end or reset that broke it until it
	 * is in place again.
	 * @return the time, or {@code null} while the watch is in place (or not started)
	 */
	public @Nullable Instant brokenSince() {
		return this.brokenSince;
	}

	void applied(int count) {
		this.events.addAndGet(count);
		this.lastEventTime = Instant.now();
	}

	void broken() {
		if (this.brokenSince == null) {
			this.brokenSince = Instant.now();
		}
	}

	/**
	 * The watch is in place: reconnected if it broke since it was last in place.
	 */
	void inPlace() {
		if (this.brokenSince != null) {
			this.reconnects.incrementAndGet();
			this.brokenSince = null;
		}
	}

	void reset(WatchListener.Reset reason) {
		this.resets.get(reason).incrementAndGet();
		this.lastReset = new LastReset(reason, Instant.now());
	}

	/**
	 * A reset and when it happened.
	 *
	 * @param reason why the owner read again
	 * @param time when
	 */
	public record LastReset(WatchListener.Reset reason, Instant time) {

	}

}
