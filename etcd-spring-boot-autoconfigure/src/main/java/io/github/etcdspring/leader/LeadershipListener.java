package io.github.etcdspring.leader;

/**
 * Told what becomes of a campaign started with
 * {@link EtcdLeaderElection#campaign(String, String, LeadershipListener)}. Its methods
 * run on the election's threads (and {@code revoked} on the resigning thread for a
 * resignation): they must not block.
 *
 * @author etcd-spring-boot contributors
 */
public interface LeadershipListener {

	/**
	 * The candidate leads.
	 * @param leadership the leadership
	 */
	void granted(Leadership leadership);

	/**
	 * The leadership ended; told once, after {@link #granted}.
	 * @param leadership the leadership
	 * @param revocation resigned or lost, and why
	 */
	void revoked(Leadership leadership, Revocation revocation);

	/**
	 * The campaign failed before leading: its session lease was lost while it waited, or
	 * etcd could not be reached to start it. Nothing is granted afterwards.
	 * @param failure why
	 */
	default void failed(Throwable failure) {
	}

}
