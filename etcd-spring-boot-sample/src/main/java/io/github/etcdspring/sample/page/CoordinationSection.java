package io.github.etcdspring.sample.page;

import java.util.List;

import io.etcd.jetcd.Client;
import io.github.etcdspring.leader.EtcdLeaderInitiator;
import io.github.etcdspring.leader.EtcdLeaderProperties;
import io.github.etcdspring.lock.EtcdLockProperties;
import io.github.etcdspring.template.EtcdTemplate;

import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Locks and elections: every lock held under {@code etcd.lock.prefix} and every election
 * under {@code etcd.leader.prefix} (the sample's own election alone when that prefix is
 * empty), with who holds or leads, whichever process it is.
 *
 * @author etcd-spring-boot contributors
 */
@Component
class CoordinationSection implements PageSection {

	private final String election;

	private final ContenderQueues elections;

	private final ContenderQueues locks;

	CoordinationSection(Client client, EtcdTemplate etcd, EtcdLeaderInitiator initiator,
			EtcdLeaderProperties leaderProperties, EtcdLockProperties lockProperties) {
		this.election = initiator.getName();
		String electionPrefix = keyPrefix(leaderProperties.getPrefix());
		String electionRoot = electionPrefix.isEmpty() ? this.election + "/" : electionPrefix;
		this.elections = new ContenderQueues(client, etcd, electionRoot, electionPrefix);
		String lockPrefix = keyPrefix(lockProperties.getPrefix());
		this.locks = new ContenderQueues(client, etcd, lockPrefix, lockPrefix);
	}

	/**
	 * The start of the keys under a prefix of the starter's locks or elections, which
	 * joins them with one '/' (as {@code ContenderQueue} does).
	 */
	private static String keyPrefix(String prefix) {
		String trimmed = StringUtils.trimTrailingCharacter(prefix, '/');
		return trimmed.isEmpty() ? "" : trimmed + "/";
	}

	@Override
	public String name() {
		return "coordination";
	}

	@Override
	public Coordination describe() {
		return new Coordination(this.election, this.elections.queues(), this.locks.queues());
	}

	@Override
	public void start(Runnable changed) {
		this.elections.start(changed);
		this.locks.start(changed);
	}

	@Override
	public void stop() {
		this.elections.stop();
		this.locks.stop();
	}

	/**
	 * Who leads and who holds.
	 *
	 * @param election the name of the sample's own election
	 * @param elections the elections that have a leader, whose value is the proposal
	 * @param locks the locks held
	 */
	record Coordination(String election, List<ContenderQueues.Queue> elections, List<ContenderQueues.Queue> locks) {
	}

}
