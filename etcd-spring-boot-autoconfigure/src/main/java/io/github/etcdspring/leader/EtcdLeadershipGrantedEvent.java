package io.github.etcdspring.leader;

/**
 * The application leads its election, in a new term.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdLeadershipGrantedEvent extends EtcdLeadershipEvent {

	/**
	 * @param source the initiator
	 * @param leadership the term granted
	 */
	public EtcdLeadershipGrantedEvent(Object source, Leadership leadership) {
		super(source, leadership);
	}

}
