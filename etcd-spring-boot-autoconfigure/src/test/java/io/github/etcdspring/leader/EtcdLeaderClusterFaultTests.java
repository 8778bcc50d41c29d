package io.github.etcdspring.leader;

import java.net.URI;

import io.etcd.jetcd.maintenance.StatusResponse;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application's leadership when etcd's leader member of a 3-member cluster is lost,
 * with a 2s session TTL.
 */
class EtcdLeaderClusterFaultTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.threeMembers();

	private LeaderFaults faults;

	@AfterEach
	void close() {
		if (this.faults != null) {
			this.faults.close();
		}
	}

	@Test
	void theLeaderMemberOfA3MemberClusterKilled() {
		this.faults = new LeaderFaults(etcd);
		this.faults.startLeaderAndCandidate();
		Leadership before = this.faults.awaitOneLeaderAsEtcdSeesIt();
		int member = leaderMember();
		etcd.kill(member);
		try {
			// the session may survive the election of a new etcd leader, or be lost: then
			// the leader is told, and one application leads afterwards, as etcd shows it
			Leadership after = this.faults.awaitOneLeaderAsEtcdSeesIt();
			if (after != before) {
				await().atMost(LeaderFaults.BOUND)
					.until(() -> this.faults.events(0).events.contains("lost " + before.fencingToken()));
				assertThat(after.fencingToken()).isGreaterThan(before.fencingToken());
			}
			await().atMost(LeaderFaults.BOUND).until(() -> ElectionKeys.count(etcd) == 2);
			this.faults.assertEveryGrantedTermLedAsEtcdSawIt();
		}
		finally {
			etcd.restart(member);
		}
	}

	private int leaderMember() {
		for (int i = 0; i < 3; i++) {
			URI endpoint = etcd.member(i).clientUrl();
			StatusResponse status = EtcdKeys
				.await(etcd.client().getMaintenanceClient().statusMember(endpoint.toString()));
			if (status.getLeader() == status.getHeader().getMemberId()) {
				return i;
			}
		}
		throw new IllegalStateException("No member of " + etcd + " leads");
	}

}
