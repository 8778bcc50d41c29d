package io.github.etcdspring.leader;

/**
 * The application's term of leadership ended: resigned (shutdown, yield) or lost (its
 * session lease expired or was revoked, or its key was deleted).
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdLeadershipRevokedEvent extends EtcdLeadershipEvent {

	private final Revocation revocation;

	/**
	 * @param source the initiator
	 * @param leadership the term revoked
	 * @param revocation how it ended
	 */
	public EtcdLeadershipRevokedEvent(Object source, Leadership leadership, Revocation revocation) {
		super(source, leadership);
		this.revocation = revocation;
	}

	/**
	 * How the term ended.
	 * @return resigned or lost, and why
	 */
	public Revocation getRevocation() {
		return this.revocation;
	}

}
