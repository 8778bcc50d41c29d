package io.github.etcdspring.leader;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The meter of the elections of an {@link EtcdLeaderElection}:
 * {@code etcd.leader.changes} counts the terms this application was granted and those
 * that ended (resigned or lost), by {@code change}: {@code granted}, {@code revoked}. No
 * election name is a tag.
 *
 * @author etcd-spring-boot contributors
 */
public class LeaderMeterBinder implements MeterBinder {

	private final EtcdLeaderElection election;

	/**
	 * @param election the election bean
	 */
	public LeaderMeterBinder(EtcdLeaderElection election) {
		this.election = election;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		ElectionStates states = this.election.states();
		String description = "Leaderships of this application granted and revoked (resigned or lost)";
		FunctionCounter.builder("etcd.leader.changes", states, ElectionStates::grantedCount)
			.tag("change", "granted")
			.description(description)
			.register(registry);
		FunctionCounter.builder("etcd.leader.changes", states, ElectionStates::revokedCount)
			.tag("change", "revoked")
			.description(description)
			.register(registry);
	}

}
