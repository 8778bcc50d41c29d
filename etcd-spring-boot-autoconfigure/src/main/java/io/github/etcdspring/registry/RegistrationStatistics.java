package io.github.etcdspring.registry;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * What happened to a registration's lease since it started: the failures of its
 * keep-alive, its losses and its re-registrations by reason, and the last
 * re-registration. Written on the registry thread and jetcd's, read by any (the endpoint,
 * the meters).
 *
 * @author etcd-spring-boot contributors
 */
public final class RegistrationStatistics {

	private final LongAdder keepAliveFailures = new LongAdder();

	private final Map<ReregistrationReason, AtomicLong> losses = counters();

	private final Map<ReregistrationReason, AtomicLong> reregistrations = counters();

	private volatile @Nullable Reregistration last;

	void keepAliveFailed() {
		this.keepAliveFailures.increment();
	}

	void lost(ReregistrationReason reason) {
		this.losses.get(reason).incrementAndGet();
	}

	void reregistered(ReregistrationReason reason) {
		this.reregistrations.get(reason).incrementAndGet();
		this.last = new Reregistration(reason, Instant.now());
	}

	/**
	 * How many times the keep-alive failed: its stream broke, etcd said the lease is
	 * gone, or it got no answer within the TTL.
	 * @return the count
	 */
	public long keepAliveFailures() {
		return this.keepAliveFailures.sum();
	}

	/**
	 * How many times the registration was lost for a reason.
	 * @param reason the reason
	 * @return the count
	 */
	public long losses(ReregistrationReason reason) {
		return this.losses.get(reason).get();
	}

	/**
	 * How many times the registration was written again after a loss (or a first failure)
	 * for a reason.
	 * @param reason the reason
	 * @return the count
	 */
	public long reregistrations(ReregistrationReason reason) {
		return this.reregistrations.get(reason).get();
	}

	/**
	 * How many times the registration was written again, for any reason.
	 * @return the count
	 */
	public long reregistrations() {
		return this.reregistrations.values().stream().mapToLong(AtomicLong::get).sum();
	}

	/**
	 * The last re-registration.
	 * @return it, or {@code null} for never
	 */
	public @Nullable Reregistration lastReregistration() {
		return this.last;
	}

	private static Map<ReregistrationReason, AtomicLong> counters() {
		Map<ReregistrationReason, AtomicLong> counters = new EnumMap<>(ReregistrationReason.class);
		for (ReregistrationReason reason : ReregistrationReason.values()) {
			counters.put(reason, new AtomicLong());
		}
		return counters;
	}

	/**
	 * A re-registration.
	 *
	 * @param reason why
	 * @param at when it was written again
	 */
	public record Reregistration(ReregistrationReason reason, Instant at) {
	}

}
