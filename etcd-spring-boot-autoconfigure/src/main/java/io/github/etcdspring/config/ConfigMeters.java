package io.github.etcdspring.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The meters of the configuration watcher, counted by its {@link ConfigRefreshHistory}:
 * {@code etcd.config.refreshes} (the checks of a change, tagged {@code outcome} and
 * {@code mode}) and {@code etcd.config.rejected} (the documents a read rejected). The
 * duration of a refresh is the {@code etcd.config.refresh} timer that Micrometer makes of
 * the observation of that name.
 *
 * @author etcd-spring-boot contributors
 */
final class ConfigMeters implements MeterBinder {

	private final ConfigRefreshHistory history;

	private final EtcdConfigProperties.RefreshMode mode;

	ConfigMeters(ConfigRefreshHistory history, EtcdConfigProperties.RefreshMode mode) {
		this.history = history;
		this.mode = mode;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (ConfigRefreshHistory.Outcome outcome : ConfigRefreshHistory.Outcome.values()) {
			FunctionCounter.builder("etcd.config.refreshes", this.history, (history) -> history.count(outcome))
				.description("Checks of the etcd configuration after changes, by outcome")
				.tag("outcome", ConfigRefreshObserver.tag(outcome))
				.tag("mode", ConfigRefreshObserver.tag(this.mode))
				.register(registry);
		}
		FunctionCounter.builder("etcd.config.rejected", this.history, ConfigRefreshHistory::rejectedDocuments)
			.description("Configuration documents read from etcd that did not parse, the configuration in force kept")
			.register(registry);
	}

}
