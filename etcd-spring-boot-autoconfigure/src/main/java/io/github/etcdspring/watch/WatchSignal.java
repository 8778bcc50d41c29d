package io.github.etcdspring.watch;

import java.time.Instant;

import io.github.etcdspring.client.EtcdConnectionSignal;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PrefixWatch} as a signal of the connection to etcd: broken from the error that
 * broke it until it is in place again.
 *
 * @author etcd-spring-boot contributors
 */
public final class WatchSignal implements EtcdConnectionSignal {

	private final String description;

	private final WatchCounts counts;

	/**
	 * Create a signal.
	 * @param description what the watch follows, e.g. {@code the etcd service registry}
	 * @param counts the counts of the watch
	 */
	public WatchSignal(String description, WatchCounts counts) {
		this.description = description;
		this.counts = counts;
	}

	@Override
	public String description() {
		return this.description;
	}

	@Override
	public @Nullable Instant brokenSince() {
		return this.counts.brokenSince();
	}

}
