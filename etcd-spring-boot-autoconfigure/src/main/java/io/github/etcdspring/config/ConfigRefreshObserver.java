package io.github.etcdspring.config;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Observes and records what the {@link EtcdConfigWatcher} does with a change: each read
 * of the contexts as an {@code etcd.config.load} observation, each refresh of the
 * application as an {@code etcd.config.refresh} observation, and every check that found
 * changed keys, changed properties or a rejected document in the
 * {@link ConfigRefreshHistory}. Reports a rejected document once until it is fixed.
 * Confined to the watch thread.
 *
 * @author etcd-spring-boot contributors
 */
final class ConfigRefreshObserver {

	/**
	 * The name of the observation of a read of the configuration contexts.
	 */
	static final String LOAD = "etcd.config.load";

	/**
	 * The name of the observation of a refresh of the application.
	 */
	static final String REFRESH = "etcd.config.refresh";

	// the watcher's, whose reports these are
	private static final Log logger = LogFactory.getLog(EtcdConfigWatcher.class);

	private final ConfigRefreshHistory history;

	private final ObservationRegistry registry;

	private final EtcdConfigProperties.RefreshMode mode;

	private @Nullable String lastMalformedMessage;

	private long checkStartedAt;

	ConfigRefreshObserver(ConfigRefreshHistory history, ObservationRegistry registry,
			EtcdConfigProperties.RefreshMode mode) {
		this.history = history;
		this.registry = registry;
		this.mode = mode;
	}

	/**
	 * Read the contexts for a check, observed.
	 * @param read the read, which passes malformed documents to {@code malformed}
	 * @param malformed the documents rejected so far by the read
	 * @return the sources read
	 */
	List<EtcdPropertySource> load(Supplier<List<EtcdPropertySource>> read,
			List<MalformedConfigurationException> malformed) {
		this.checkStartedAt = System.nanoTime();
		List<EtcdPropertySource> sources = observeLoad(this.registry, "watch", read, malformed::size);
		if (malformed.isEmpty()) {
			this.lastMalformedMessage = null; // fixed: report it again if it comes back
		}
		return sources;
	}

	/**
	 * Observe a read of contexts as {@code etcd.config.load}.
	 * @param registry where to report it
	 * @param phase {@code startup} for the import, {@code watch} for the watcher's reads
	 * @param read the read
	 * @param rejected how many documents the read rejected
	 * @return what the read returned
	 */
	static List<EtcdPropertySource> observeLoad(ObservationRegistry registry, String phase,
			Supplier<List<EtcdPropertySource>> read, Supplier<Integer> rejected) {
		Observation observation = Observation.createNotStarted(LOAD, registry)
			.contextualName("etcd config load")
			.lowCardinalityKeyValue("phase", phase)
			.start();
		String outcome = "failed";
		try (Observation.Scope scope = observation.openScope()) {
			List<EtcdPropertySource> sources = read.get();
			outcome = (rejected.get() > 0) ? "rejected" : "loaded";
			if (!sources.isEmpty()) {
				observation.highCardinalityKeyValue("etcd.revision", Long.toString(sources.get(0).getRevision()));
			}
			return sources;
		}
		catch (RuntimeException ex) {
			outcome = (ex instanceof MalformedConfigurationException) ? "rejected" : "failed";
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.lowCardinalityKeyValue("outcome", outcome);
			observation.stop();
		}
	}

	/**
	 * The read rejected documents: the configuration in force stays.
	 * @param revision the revision read
	 * @param changedKeys the keys changed since the last check
	 * @param malformed the documents rejected
	 */
	void rejected(long revision, Set<String> changedKeys, List<MalformedConfigurationException> malformed) {
		Instant now = Instant.now();
		malformed.forEach((document) -> this.history
			.rejected(new ConfigRefreshHistory.Rejection(now, revision, document.getKey(), document.getMessage())));
		String message = malformed.get(0).getMessage();
		if (!message.equals(this.lastMalformedMessage)) {
			logger.error(message + "; keeping the configuration in force until it is fixed");
			this.lastMalformedMessage = message;
		}
		record(revision, ConfigRefreshHistory.Outcome.REJECTED, changedKeys, Set.of());
	}

	/**
	 * The read found the properties in force.
	 * @param revision the revision read
	 * @param changedKeys the keys changed since the last check: none after a read that
	 * only resumes the watch, which is not recorded
	 */
	void unchanged(long revision, Set<String> changedKeys) {
		if (!changedKeys.isEmpty()) {
			record(revision, ConfigRefreshHistory.Outcome.UNCHANGED, changedKeys, Set.of());
		}
	}

	/**
	 * Refresh the application, observed; a failure is logged, and the watch goes on.
	 * @param change what changed
	 * @param refresh the refresh
	 */
	void refresh(EtcdConfigChange change, Runnable refresh) {
		logger.info("Refreshing: " + change);
		Observation observation = Observation.createNotStarted(REFRESH, this.registry)
			.contextualName("etcd config refresh")
			.lowCardinalityKeyValue("mode", tag(this.mode))
			.highCardinalityKeyValue("etcd.revision", Long.toString(change.revision()))
			.start();
		ConfigRefreshHistory.Outcome outcome = ConfigRefreshHistory.Outcome.REFRESHED;
		try (Observation.Scope scope = observation.openScope()) {
			refresh.run();
		}
		catch (RuntimeException ex) {
			outcome = ConfigRefreshHistory.Outcome.FAILED;
			observation.error(ex);
			logger.error("Refreshing the application after a change in etcd failed", ex);
		}
		finally {
			observation.lowCardinalityKeyValue("outcome", tag(outcome));
			observation.stop();
		}
		record(change.revision(), outcome, change.changedKeys(), change.changedProperties());
	}

	private void record(long revision, ConfigRefreshHistory.Outcome outcome, Set<String> changedKeys,
			Set<String> changedProperties) {
		Duration duration = Duration.ofNanos(System.nanoTime() - this.checkStartedAt);
		this.history.record(new ConfigRefreshHistory.Entry(Instant.now(), revision, this.mode, outcome, duration,
				changedKeys, changedProperties));
	}

	/**
	 * A tag value of a constant: {@code in-place}, {@code refreshed}.
	 * @param constant the constant
	 * @return its name in lower case, words joined by '-'
	 */
	static String tag(Enum<?> constant) {
		return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
