package io.github.etcdspring.config;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * What the configuration watcher did with the changes it saw in etcd: the last
 * {@code etcd.config.watch.history-size} checks of a change, the last document it
 * rejected, and a count of each outcome since startup. Shown by the {@code configuration}
 * part of the {@code etcd} endpoint and counted by the {@code etcd.config.*} meters. It
 * holds names of keys and properties, never a value. Thread-safe.
 *
 * @author etcd-spring-boot contributors
 */
public final class ConfigRefreshHistory {

	/**
	 * Most keys and properties an entry names: a transaction may change thousands.
	 */
	static final int NAMES_LISTED = 100;

	private static final int MAX_SIZE = 1000;

	private final int size;

	private final Deque<Entry> entries = new ArrayDeque<>();

	private final Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);

	private long rejectedDocuments;

	private @Nullable Rejection lastRejection;

	/**
	 * A history of the last {@code size} checks.
	 * @param size how many entries it keeps, from 1 to 1000
	 * @throws InvalidConfigurationPropertyValueException naming
	 * {@code etcd.config.watch.history-size} when out of range
	 */
	public ConfigRefreshHistory(int size) {
		if (size < 1 || size > MAX_SIZE) {
			throw new InvalidConfigurationPropertyValueException(EtcdConfigProperties.PREFIX + ".watch.history-size",
					size, "Must be between 1 and " + MAX_SIZE);
		}
		this.size = size;
	}

	/**
	 * Record a check of the configuration after changes.
	 * @param entry what it found and did
	 */
	synchronized void record(Entry entry) {
		if (this.entries.size() == this.size) {
			this.entries.removeFirst();
		}
		this.entries.addLast(entry);
		this.counts.merge(entry.outcome(), 1L, Long::sum);
	}

	/**
	 * Record a document that a read rejected, keeping the configuration in force.
	 * @param rejection its key and why
	 */
	synchronized void rejected(Rejection rejection) {
		this.rejectedDocuments++;
		this.lastRejection = rejection;
	}

	/**
	 * The entries kept.
	 * @return the oldest first
	 */
	public synchronized List<Entry> entries() {
		return List.copyOf(this.entries);
	}

	/**
	 * The last document rejected.
	 * @return it, or {@code null} if none was since startup
	 */
	public synchronized @Nullable Rejection lastRejection() {
		return this.lastRejection;
	}

	/**
	 * How many checks had an outcome since startup.
	 * @param outcome the outcome
	 * @return the count
	 */
	public synchronized long count(Outcome outcome) {
		return this.counts.getOrDefault(outcome, 0L);
	}

	/**
	 * How many times a read rejected a document since startup.
	 * @return the count
	 */
	public synchronized long rejectedDocuments() {
		return this.rejectedDocuments;
	}

	/**
	 * Names at most {@link #NAMES_LISTED}, sorted.
	 */
	static List<String> listed(Set<String> names) {
		List<String> sorted = new ArrayList<>(names);
		Collections.sort(sorted);
		return List.copyOf(sorted.subList(0, Math.min(sorted.size(), NAMES_LISTED)));
	}

	/**
	 * What came of a check of the configuration after changes in etcd.
	 */
	public enum Outcome {

		/**
		 * Properties changed, and the application was refreshed.
		 */
		REFRESHED,

		/**
		 * Keys changed, but no property in force: a rewrite of the same value, or a value
		 * that another context overrides.
		 */
		UNCHANGED,

		/**
		 * A document did not parse: the configuration in force stays until it is fixed.
		 */
		REJECTED,

		/**
		 * The refresh of the application failed.
		 */
		FAILED

	}

	/**
	 * One check of the configuration after changes.
	 *
	 * @param time when the check ended
	 * @param revision the etcd revision it read
	 * @param mode how the application was refreshed
	 * @param outcome what came of it
	 * @param duration how long the read and the refresh took
	 * @param changedKeys the etcd keys changed since the previous check, at most
	 * {@value #NAMES_LISTED}, sorted
	 * @param changedKeyCount how many keys changed
	 * @param changedProperties the properties whose value changed, appeared or
	 * disappeared, at most {@value #NAMES_LISTED}, sorted
	 * @param changedPropertyCount how many properties changed
	 */
	public record Entry(Instant time, long revision, EtcdConfigProperties.RefreshMode mode, Outcome outcome,
			Duration duration, List<String> changedKeys, int changedKeyCount, List<String> changedProperties,
			int changedPropertyCount) {

		Entry(Instant time, long revision, EtcdConfigProperties.RefreshMode mode, Outcome outcome, Duration duration,
				Set<String> changedKeys, Set<String> changedProperties) {
			this(time, revision, mode, outcome, duration, listed(changedKeys), changedKeys.size(),
					listed(changedProperties), changedProperties.size());
		}

	}

	/**
	 * A document the watcher rejected; never its content.
	 *
	 * @param time when it was rejected
	 * @param revision the etcd revision read
	 * @param key its etcd key
	 * @param reason why, as the log says it
	 */
	public record Rejection(Instant time, long revision, String key, String reason) {

	}

}
