package io.github.etcdspring.leader;

import java.util.Optional;

/**
 * Told every change of the leader of an election, see {@link EtcdLeaderElection#observe}.
 * It runs on the coordinator's thread and must not block.
 *
 * @author etcd-spring-boot contributors
 */
@FunctionalInterface
public interface LeaderObserver {

	/**
	 * The leader changed: another candidate leads, the leader proclaimed another
	 * proposal, or nobody leads.
	 * @param leader the leader, empty when nobody leads
	 */
	void leaderChanged(Optional<Leader> leader);

}
