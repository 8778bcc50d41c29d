package io.github.etcdspring.client;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Something of the application that follows etcd all the time, such as a watch, and so
 * knows without a call since when it cannot reach etcd. The {@code etcd} health indicator
 * reads every such bean between its own cluster checks.
 *
 * @author etcd-spring-boot contributors
 */
public interface EtcdConnectionSignal {

	/**
	 * What follows etcd, for the health details, e.g. {@code the etcd service registry}.
	 * @return a description
	 */
	String description();

	/**
	 * Since when it cannot reach etcd.
	 * @return the time it lost etcd, or {@code null} while it is in touch
	 */
	@Nullable Instant brokenSince();

}
