package io.github.etcdspring.leader;

import org.springframework.context.ApplicationEvent;

/**
 * The application's leadership changed, see {@link EtcdLeaderInitiator}.
 *
 * @author etcd-spring-boot contributors
 */
public abstract class EtcdLeadershipEvent extends ApplicationEvent {

	private final Leadership leadership;

	/**
	 * @param source the initiator
	 * @param leadership the term granted or revoked
	 */
	protected EtcdLeadershipEvent(Object source, Leadership leadership) {
		super(source);
		this.leadership = leadership;
	}

	/**
	 * The term granted or revoked.
	 * @return the leadership
	 */
	public Leadership getLeadership() {
		return this.leadership;
	}

	/**
	 * The election name.
	 * @return the name
	 */
	public String getName() {
		return this.leadership.name();
	}

	/**
	 * The application's proposal.
	 * @return the proposal
	 */
	public String getProposal() {
		return this.leadership.proposal();
	}

	/**
	 * The fencing token of the term.
	 * @return the create revision of its key
	 */
	public long getFencingToken() {
		return this.leadership.fencingToken();
	}

}
