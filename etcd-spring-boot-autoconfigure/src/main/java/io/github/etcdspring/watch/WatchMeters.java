package io.github.etcdspring.watch;

import java.util.Locale;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The meters of one {@link PrefixWatch}, read from its {@link WatchCounts}:
 * {@code etcd.watch.events}, {@code etcd.watch.reconnects} and {@code etcd.watch.resets}
 * (tagged with the {@code reason}), each tagged with the {@code watch} name, e.g.
 * {@code registry} for the service catalog. The name must be one of a few fixed values:
 * it is a tag. Only load this class when Micrometer is on the class path.
 *
 * @author etcd-spring-boot contributors
 */
public final class WatchMeters implements MeterBinder {

	private final String watchName;

	private final WatchCounts counts;

	/**
	 * The meters of a watch.
	 * @param watchName the {@code watch} tag, a fixed name such as {@code registry}
	 * @param counts the counts of the watch ({@link PrefixWatch#counts()})
	 */
	public WatchMeters(String watchName, WatchCounts counts) {
		this.watchName = watchName;
		this.counts = counts;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder("etcd.watch.events", this.counts, WatchCounts::events)
			.description("Changes of etcd that the watch handed to its owner and that it applied")
			.tag("watch", this.watchName)
			.register(registry);
		FunctionCounter.builder("etcd.watch.reconnects", this.counts, WatchCounts::reconnects)
			.description("Times the watch broke and was in place again")
			.tag("watch", this.watchName)
			.register(registry);
		for (WatchListener.Reset reason : WatchListener.Reset.values()) {
			FunctionCounter.builder("etcd.watch.resets", this.counts, (counts) -> counts.resets(reason))
				.description("Times the owner of the watch had to read everything again")
				.tag("watch", this.watchName)
				.tag("reason", reason.name().toLowerCase(Locale.ROOT))
				.register(registry);
		}
	}

}
