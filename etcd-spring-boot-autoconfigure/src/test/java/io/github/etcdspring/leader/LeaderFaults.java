package io.github.etcdspring.leader;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.etcd.jetcd.KeyValue;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.coordination.CoordinationSession;
import io.github.etcdspring.coordination.EtcdCoordinator;
import io.github.etcdspring.leader.LeaderTestApplication.LeaderEvents;
import io.github.etcdspring.test.EtcdCluster;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two applications in the election {@code job} and an independent observer of it, for
 * fault tests: what etcd showed as leader, revision after revision, and what the
 * applications were granted. "No two leaders as etcd sees it" is checked both ways: every
 * term an application was granted is one that etcd showed as the leader (none was granted
 * while another key came first), and once things settle exactly one application claims
 * leadership, the one whose key etcd shows first.
 */
final class LeaderFaults implements AutoCloseable {

	static final Duration BOUND = Duration.ofSeconds(30);

	private final EtcdCluster etcd;

	private final List<ConfigurableApplicationContext> apps = new CopyOnWriteArrayList<>();

	private final EtcdCoordinator observerCoordinator;

	private final LeaderObservation observation;

	/** Every leader etcd showed, in order, as the observer was told. */
	final List<Optional<Leader>> leadersSeen = new CopyOnWriteArrayList<>();

	LeaderFaults(EtcdCluster etcd) {
		this.etcd = etcd;
		Duration requestTimeout = Duration.ofSeconds(3);
		this.observerCoordinator = new EtcdCoordinator(etcd.client(),
				new CoordinationSession(etcd.client(), 2, requestTimeout), requestTimeout,
				new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)));
		this.observation = new EtcdLeaderElection(this.observerCoordinator, etcd.client(), "elections").observe("job",
				this.leadersSeen::add);
	}

	/**
	 * Start applications "a" and "b", "a" leading and "b" waiting.
	 */
	void startLeaderAndCandidate() {
		ConfigurableApplicationContext a = LeaderTestApplication.start(this.etcd, "a");
		this.apps.add(a);
		await().atMost(BOUND).until(() -> initiator(a).isLeader());
		this.apps.add(LeaderTestApplication.start(this.etcd, "b"));
		await().atMost(BOUND).until(() -> ElectionKeys.count(this.etcd) == 2);
	}

	ConfigurableApplicationContext leader() {
		return this.apps.get(0);
	}

	LeaderEvents events(int app) {
		return this.apps.get(app).getBean(LeaderEvents.class);
	}

	/**
	 * Wait until exactly one application claims leadership and etcd shows its key as the
	 * leader's.
	 * @return the leading term
	 */
	Leadership awaitOneLeaderAsEtcdSeesIt() {
		return await().atMost(BOUND).ignoreExceptions().until(() -> {
			List<Leadership> claims = this.apps.stream()
				.map((app) -> initiator(app).getLeadership())
				.flatMap(Optional::stream)
				.toList();
			Optional<KeyValue> first = ElectionKeys.of(this.etcd, "elections/job/")
				.stream()
				.min(Comparator.comparingLong(KeyValue::getCreateRevision));
			return (claims.size() == 1 && first.isPresent()
					&& first.get().getCreateRevision() == claims.get(0).fencingToken()) ? claims.get(0) : null;
		}, (leading) -> leading != null);
	}

	/**
	 * Every term granted to an application was a term etcd showed as the leader's (none
	 * granted while another key came first, or to a key etcd had dropped), and no term
	 * was granted twice.
	 */
	void assertEveryGrantedTermLedAsEtcdSawIt() {
		List<Long> granted = this.apps.stream()
			.flatMap((app) -> app.getBean(LeaderEvents.class).leadershipEvents.stream())
			.filter(EtcdLeadershipGrantedEvent.class::isInstance)
			.map(EtcdLeadershipEvent::getFencingToken)
			.toList();
		List<Long> ledInEtcd = this.leadersSeen.stream().flatMap(Optional::stream).map(Leader::createRevision).toList();
		assertThat(granted).doesNotHaveDuplicates();
		assertThat(ledInEtcd).as("leaders etcd showed").containsAll(granted);
	}

	static EtcdLeaderInitiator initiator(ConfigurableApplicationContext app) {
		return app.getBean(EtcdLeaderInitiator.class);
	}

	@Override
	public void close() {
		this.apps.forEach(ConfigurableApplicationContext::close);
		this.observation.close();
		this.observerCoordinator.destroy();
	}

}
