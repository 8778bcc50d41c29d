package io.github.etcdspring.leader;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.KeyValue;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.coordination.CoordinationSession;
import io.github.etcdspring.coordination.EtcdCoordinator;
import io.github.etcdspring.coordination.HoldLostException;
import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link EtcdLeaderElection} against a real etcd, with {@code etcdctl elect} as the Go
 * candidate and observer.
 */
class EtcdLeaderElectionTests {

	private static final Duration BOUND = Duration.ofSeconds(20);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final List<EtcdCoordinator> coordinators = new CopyOnWriteArrayList<>();

	private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
		this.coordinators.forEach(EtcdCoordinator::destroy);
	}

	@Test
	void aCandidateLeadsUnderAKeyInEtcdsLayoutAndResignsOnlyItsOwnTerm() throws Exception {
		EtcdLeaderElection election = election();
		Leadership leadership = election.campaign("job", "a");
		assertThat(leadership.isLeader()).isTrue();
		assertThat(leadership.key()).isEqualTo("elections/job/" + Long.toHexString(leadership.leaseId()));
		assertThat(election.leader("job"))
			.hasValue(new Leader("job", "a", leadership.key(), leadership.fencingToken(), leadership.leaseId()));
		assertThat(leadership.resign()).isTrue();
		assertThat(leadership.isLeader()).isFalse();
		assertThat(leadership.revocation()).isEqualTo(Revocation.RESIGNED);
		assertThat(election.leader("job")).isEmpty();
		assertThat(leadership.resign()).isFalse();
		assertThatExceptionOfType(HoldLostException.class).isThrownBy(() -> leadership.proclaim("b"))
			.withMessageContaining("resigned");
	}

	@Test
	void aProclaimedProposalIsWhatObserversSee() throws Exception {
		EtcdLeaderElection election = election();
		List<Optional<Leader>> seen = observe(election(), "job");
		Leadership leadership = election.campaign("job", "a");
		leadership.proclaim("b");
		assertThat(election.leader("job")).hasValueSatisfying((leader) -> assertThat(leader.proposal()).isEqualTo("b"));
		await().atMost(BOUND).until(() -> seen.size() == 3);
		assertThat(seen).map((leader) -> leader.map(Leader::proposal).orElse("nobody"))
			.containsExactly("nobody", "a", "b");
	}

	@Test
	void observersSeeEveryChangeOfLeaderIncludingNoLeader() throws Exception {
		List<Optional<Leader>> seen = observe(election(), "job");
		await().atMost(BOUND).until(() -> seen.size() == 1);
		Leadership a = election().campaign("job", "a");
		List<String> events = new CopyOnWriteArrayList<>();
		Candidacy b = election().campaign("job", "b", new RecordingListener(events));
		await().atMost(BOUND).until(() -> keys("elections/job/").size() == 2);
		a.resign();
		await().atMost(BOUND).until(() -> events.contains("granted b"));
		b.close();
		await().atMost(BOUND).until(() -> seen.size() == 4);
		assertThat(seen).map((leader) -> leader.map(Leader::proposal).orElse("nobody"))
			.containsExactly("nobody", "a", "b", "nobody");
		assertThat(events).containsExactly("granted b", "revoked b: resigned");
	}

	@Test
	void aWaitingCandidateIsGrantedWithAGreaterFencingTokenAndToldWhenItsTermIsLost() throws Exception {
		Leadership a = election().campaign("job", "a");
		List<String> events = new CopyOnWriteArrayList<>();
		Candidacy b = election().campaign("job", "b", new RecordingListener(events));
		await().atMost(BOUND).until(() -> keys("elections/job/").size() == 2);
		assertThat(b.isLeader()).isFalse();
		assertThat(b.leadership()).isNotDone();
		a.resign();
		Leadership granted = b.leadership().get();
		assertThat(granted.fencingToken()).isGreaterThan(a.fencingToken());
		assertThat(b.isLeader()).isTrue();
		etcd.client().getLeaseClient().revoke(granted.leaseId()).get();
		await().atMost(BOUND).until(() -> events.size() == 2);
		assertThat(events.get(1)).startsWith("lost b: ");
		assertThat(granted.isLeader()).isFalse();
		assertThat(granted.resign()).isFalse();
		assertThatExceptionOfType(HoldLostException.class).isThrownBy(() -> granted.proclaim("c"));
	}

	@Test
	void aWithdrawnCandidacyLeavesNoKey() throws Exception {
		Leadership a = election().campaign("job", "a");
		Candidacy b = election().campaign("job", "b", new RecordingListener(new CopyOnWriteArrayList<>()));
		await().atMost(BOUND).until(() -> keys("elections/job/").size() == 2);
		b.close();
		await().atMost(BOUND).until(() -> keys("elections/job/").size() == 1);
		assertThat(a.isLeader()).isTrue();
		assertThat(b.leadership()).isCancelled();
	}

	@Test
	void aBlockedCampaignThatIsInterruptedLeavesNoKey() throws Exception {
		Leadership a = election().campaign("job", "a");
		EtcdLeaderElection election = election();
		CompletableFuture<Throwable> outcome = new CompletableFuture<>();
		Thread campaigner = new Thread(() -> {
			try {
				election.campaign("job", "b");
				outcome.complete(null);
			}
			catch (Throwable ex) {
				outcome.complete(ex);
			}
		});
		campaigner.start();
		await().atMost(BOUND).until(() -> keys("elections/job/").size() == 2);
		campaigner.interrupt();
		assertThat(outcome.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
		await().atMost(BOUND).until(() -> keys("elections/job/").size() == 1);
		assertThat(a.isLeader()).isTrue();
	}

	@Test
	void namesThatWouldBreakTheLayoutAreRefused() {
		EtcdLeaderElection election = election();
		for (String name : List.of("", "a/b", "/a")) {
			assertThatIllegalArgumentException().isThrownBy(() -> election.campaign(name, "a"))
				.withMessageContaining("election name");
			assertThatIllegalArgumentException().isThrownBy(() -> election.leader(name))
				.withMessageContaining("election name");
			assertThatIllegalArgumentException().isThrownBy(() -> election.observe(name, (leader) -> {
			})).withMessageContaining("election name");
		}
	}

	@Test
	void etcdctlWaitsWhileJavaLeadsThenLeadsOnceJavaResigns() throws Exception {
		EtcdLeaderElection election = election();
		Leadership java = election.campaign("job", "java");
		List<Optional<Leader>> seen = observe(election(), "job");
		Etcdctl observer = etcdctl("elect", "-l", "elections/job");
		await().atMost(BOUND).until(() -> observer.lines().contains("java"));
		Etcdctl go = etcdctl("elect", "elections/job", "go");
		await().atMost(BOUND).until(() -> keys("elections/job/").size() == 2);
		assertThat(go.lines()).isEmpty();
		assertThat(election.leader("job"))
			.hasValueSatisfying((leader) -> assertThat(leader.proposal()).isEqualTo("java"));
		java.resign();
		await().atMost(BOUND).until(() -> go.lines().contains("go"));
		await().atMost(BOUND).until(() -> observer.lines().contains("go"));
		await().atMost(BOUND).until(() -> seen.get(seen.size() - 1).map(Leader::proposal).equals(Optional.of("go")));
		Leader goLeader = election.leader("job").orElseThrow();
		assertThat(goLeader.createRevision()).isGreaterThan(java.fencingToken());
		assertThat(go.lines()).contains(goLeader.key());
	}

	@Test
	void javaWaitsWhileEtcdctlLeadsThenLeadsOnceEtcdctlEnds() throws Exception {
		Etcdctl go = etcdctl("elect", "elections/job", "go");
		await().atMost(BOUND).until(() -> go.lines().contains("go"));
		List<String> events = new CopyOnWriteArrayList<>();
		Candidacy java = election().campaign("job", "java", new RecordingListener(events));
		await().atMost(BOUND).until(() -> keys("elections/job/").size() == 2);
		assertThat(java.isLeader()).isFalse();
		assertThat(election().leader("job"))
			.hasValueSatisfying((leader) -> assertThat(leader.proposal()).isEqualTo("go"));
		go.close();
		Leadership leadership = java.leadership().get();
		assertThat(events).containsExactly("granted java");
		assertThat(election().leader("job"))
			.hasValueSatisfying((leader) -> assertThat(leader.createRevision()).isEqualTo(leadership.fencingToken()));
	}

	@Test
	void withAnEmptyPrefixTheNameAloneIsTheElectionOfEtcdctl() throws Exception {
		Leadership java = election("").campaign("job", "java");
		assertThat(java.key()).isEqualTo("job/" + Long.toHexString(java.leaseId()));
		Etcdctl observer = etcdctl("elect", "-l", "job");
		await().atMost(BOUND).until(() -> observer.lines().contains("java"));
	}

	private List<Optional<Leader>> observe(EtcdLeaderElection election, String name) {
		List<Optional<Leader>> seen = new CopyOnWriteArrayList<>();
		this.closeables.add(election.observe(name, seen::add));
		return seen;
	}

	private Etcdctl etcdctl(String... arguments) {
		Etcdctl etcdctl = Etcdctl.start(etcd, arguments);
		this.closeables.add(etcdctl);
		return etcdctl;
	}

	private EtcdLeaderElection election() {
		return election("elections");
	}

	private EtcdLeaderElection election(String prefix) {
		Duration requestTimeout = Duration.ofSeconds(5);
		EtcdCoordinator coordinator = new EtcdCoordinator(etcd.client(),
				new CoordinationSession(etcd.client(), 2, requestTimeout), requestTimeout,
				new RetryBackoff(Duration.ofMillis(50), Duration.ofSeconds(1)));
		this.coordinators.add(coordinator);
		return new EtcdLeaderElection(coordinator, etcd.client(), prefix);
	}

	private static List<KeyValue> keys(String prefix) {
		return ElectionKeys.of(etcd, prefix);
	}

	/**
	 * Records "granted P", "revoked P: reason" or "lost P: reason", "failed: ...".
	 */
	record RecordingListener(List<String> events) implements LeadershipListener {

		@Override
		public void granted(Leadership leadership) {
			this.events.add("granted " + leadership.proposal());
		}

		@Override
		public void revoked(Leadership leadership, Revocation revocation) {
			this.events
				.add((revocation.lost() ? "lost " : "revoked ") + leadership.proposal() + ": " + revocation.reason());
		}

		@Override
		public void failed(Throwable failure) {
			this.events.add("failed: " + failure);
		}

	}

}
