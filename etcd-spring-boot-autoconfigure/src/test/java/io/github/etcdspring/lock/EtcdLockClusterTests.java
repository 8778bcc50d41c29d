package io.github.etcdspring.lock;

import io.etcd.jetcd.maintenance.StatusResponse;
import io.github.etcdspring.lock.LockFaults.Contender;
import io.github.etcdspring.lock.LockFaults.Watched;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.etcdspring.lock.LockFaults.BOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Locks on a three-member cluster that loses its leader member: the lock is kept while
 * its session lease survives the leader change, or its loss is told; never two holders.
 */
class EtcdLockClusterTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.threeMembers();

	private final LockFaults faults = new LockFaults(etcd);

	@AfterEach
	void stop() {
		this.faults.close();
	}

	@Test
	void theLossOfTheLeaderMemberKeepsTheLockOrReportsItsLoss() throws Exception {
		EtcdLockRegistry holderLocks = this.faults.locks();
		Watched holder = Watched.of(holderLocks.lock("job"));
		Contender waiter = this.faults.contender(this.faults.locks());
		int leader = leaderIndex();
		etcd.kill(leader);
		try {
			await().atMost(BOUND).ignoreExceptions().until(() -> leaderIndex() != leader);
			await().atMost(BOUND).until(() -> holder.toldLost() || holder.heldInEtcd());
			if (waiter.holds()) {
				assertThat(holder.toldLost()).isTrue();
			}
			EtcdLockFaultTests.handOver(this.faults, holder, waiter);
			this.faults.assertTheNextLockWorks(holderLocks, holder);
		}
		finally {
			etcd.restart(leader);
		}
	}

	private static int leaderIndex() {
		for (int i = 0; i < 3; i++) {
			if (etcd.member(i).process() == null || !etcd.member(i).process().isAlive()) {
				continue;
			}
			StatusResponse status = EtcdKeys
				.await(etcd.client().getMaintenanceClient().statusMember(etcd.member(i).clientUrl().toString()));
			if (status.getHeader().getMemberId() == status.getLeader()) {
				return i;
			}
		}
		throw new IllegalStateException("No member leads");
	}

}
