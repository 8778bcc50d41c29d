package io.github.etcdspring.leader;

import java.util.List;

import io.github.etcdspring.coordination.CoordinationEndpointSection;

/**
 * The {@code elections} section of {@code /actuator/etcd/coordination}: the elections
 * this application joined, each with the state of its latest candidacy, from memory.
 *
 * @author etcd-spring-boot contributors
 */
public class ElectionsEndpointSection implements CoordinationEndpointSection {

	private final EtcdLeaderElection election;

	/**
	 * @param election the election bean
	 */
	public ElectionsEndpointSection(EtcdLeaderElection election) {
		this.election = election;
	}

	@Override
	public String name() {
		return "elections";
	}

	@Override
	public List<ElectionDescription> describe() {
		return this.election.states().describe();
	}

}
