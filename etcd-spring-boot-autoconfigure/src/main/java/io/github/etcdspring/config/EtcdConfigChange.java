package io.github.etcdspring.config;

import java.util.Set;

/**
 * What changed in etcd: published by the watcher as an application event once each
 * refresh is done, in either {@code etcd.config.watch.refresh-mode}
 * ({@code @EventListener} of this type), and carried by the {@code RefreshEvent} that it
 * publishes in {@code full} mode.
 *
 * @param revision the etcd revision the new configuration was read at
 * @param changedKeys the etcd keys written or deleted since the last refresh
 * @param changedProperties the properties whose effective value changed, appeared or
 * disappeared
 * @author etcd-spring-boot contributors
 */
public record EtcdConfigChange(long revision, Set<String> changedKeys, Set<String> changedProperties) {

	private static final int LISTED = 10;

	@Override
	public String toString() {
		return "etcd configuration changed at revision " + this.revision + ": keys " + summary(this.changedKeys)
				+ ", properties " + summary(this.changedProperties);
	}

	private static String summary(Set<String> names) {
		if (names.size() <= LISTED) {
			return names.toString();
		}
		return names.stream()
			.limit(LISTED)
			.toList()
			.toString()
			.replace("]", ", and " + (names.size() - LISTED) + " more]");
	}

}
