package io.github.etcdspring.leader;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.etcd.jetcd.ByteSequence;
import io.github.etcdspring.coordination.SessionDescription;
import io.github.etcdspring.endpoint.EtcdEndpoint;
import io.github.etcdspring.leader.ElectionDescription.State;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code elections} section of {@code /actuator/etcd/coordination}, against a real
 * etcd, with {@code etcdctl elect} as another candidate.
 */
class ElectionsEndpointSectionTests {

	private static final Duration BOUND = Duration.ofSeconds(20);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void theLeaderIsShownWithItsKeyProposalAndFencingToken() {
		ConfigurableApplicationContext app = start();
		await().atMost(BOUND).until(() -> state(app) == State.LEADER);
		Leadership leadership = app.getBean(EtcdLeaderInitiator.class).getLeadership().orElseThrow();
		assertThat(job(app)).satisfies((job) -> {
			assertThat(job.prefix()).isEqualTo("elections/job/");
			assertThat(job.proposal()).isEqualTo("a");
			assertThat(job.key()).isEqualTo(leadership.key()).isEqualTo("elections/job/" + session(app).leaseId());
			assertThat(job.fencingToken()).isEqualTo(leadership.fencingToken());
			assertThat(job.lastRevocation()).isNull();
			assertThat(job.failure()).isNull();
		});
	}

	@Test
	void aLeaderThatYieldsToEtcdctlIsShownAsCandidateWithItsResignation() throws Exception {
		ConfigurableApplicationContext app = start();
		await().atMost(BOUND).until(() -> state(app) == State.LEADER);
		long token = job(app).fencingToken();
		Etcdctl go = Etcdctl.start(etcd, "elect", "elections/job", "go");
		this.resources.add(go);
		await().atMost(BOUND).until(() -> ElectionKeys.count(etcd) == 2);
		app.getBean(EtcdLeaderInitiator.class).yieldLeadership();
		await().atMost(BOUND).until(() -> go.lines().contains("go"));
		await().atMost(BOUND).until(() -> state(app) == State.CANDIDATE);
		assertThat(job(app).lastRevocation()).satisfies((revocation) -> {
			assertThat(revocation.lost()).isFalse();
			assertThat(revocation.reason()).isEqualTo("resigned");
			assertThat(revocation.fencingToken()).isEqualTo(token);
		});
		go.close();
		await().atMost(BOUND).until(() -> state(app) == State.LEADER);
		assertThat(job(app).fencingToken()).isGreaterThan(token);
	}

	@Test
	void aTermLostWithItsKeyIsShownWithTheReasonAndTheNextTerm() {
		ConfigurableApplicationContext app = start();
		await().atMost(BOUND).until(() -> state(app) == State.LEADER);
		ElectionDescription first = job(app);
		EtcdKeys.await(etcd.client().getKVClient().delete(ByteSequence.from(first.key(), StandardCharsets.UTF_8)));
		await().atMost(BOUND).until(() -> state(app) == State.LEADER && job(app).lastRevocation() != null);
		assertThat(job(app).lastRevocation()).satisfies((revocation) -> {
			assertThat(revocation.lost()).isTrue();
			assertThat(revocation.reason()).contains(first.key());
			assertThat(revocation.fencingToken()).isEqualTo(first.fencingToken());
		});
		assertThat(job(app).fencingToken()).isGreaterThan(first.fencingToken());
	}

	@Test
	void afterTheSessionLeaseIsRevokedTheLostTermAndTheSessionLossAreShown() {
		ConfigurableApplicationContext app = start();
		await().atMost(BOUND).until(() -> state(app) == State.LEADER);
		String leaseId = session(app).leaseId();
		EtcdKeys.await(etcd.client().getLeaseClient().revoke(Long.parseLong(leaseId, 16)));
		await().atMost(BOUND).until(() -> state(app) == State.LEADER && job(app).lastRevocation() != null);
		assertThat(job(app).lastRevocation()).satisfies((revocation) -> {
			assertThat(revocation.lost()).isTrue();
			assertThat(revocation.reason()).contains(leaseId);
		});
		SessionDescription session = session(app);
		assertThat(session.lastLoss()).satisfies((loss) -> assertThat(loss.leaseId()).isEqualTo(leaseId));
		assertThat(session.leaseId()).isNotEqualTo(leaseId);
		assertThat(job(app).key()).isEqualTo("elections/job/" + session.leaseId());
	}

	@Test
	void aCampaignResignedThroughTheApiIsShownAsYieldedUntilWithdrawn() throws Exception {
		ConfigurableApplicationContext app = start();
		EtcdLeaderElection election = app.getBean(EtcdLeaderElection.class);
		Candidacy candidacy = election.campaign("reports", "r", new LeadershipListener() {

			@Override
			public void granted(Leadership leadership) {
			}

			@Override
			public void revoked(Leadership leadership, Revocation revocation) {
			}

		});
		Leadership leadership = candidacy.leadership().get();
		assertThat(election(app, "reports").state()).isEqualTo(State.LEADER);
		leadership.resign();
		assertThat(election(app, "reports").state()).isEqualTo(State.YIELDED);
		candidacy.close();
		assertThat(elections(app)).extracting(ElectionDescription::name).containsExactly("job");
	}

	private ConfigurableApplicationContext start() {
		ConfigurableApplicationContext app = LeaderTestApplication.start(etcd, "a",
				"management.endpoints.web.exposure.include=etcd");
		this.resources.add(0, app);
		return app;
	}

	private static Map<?, ?> part(ConfigurableApplicationContext app) {
		return (Map<?, ?>) app.getBean(EtcdEndpoint.class).part("coordination");
	}

	@SuppressWarnings("unchecked")
	private static List<ElectionDescription> elections(ConfigurableApplicationContext app) {
		return (List<ElectionDescription>) part(app).get("elections");
	}

	private static ElectionDescription election(ConfigurableApplicationContext app, String name) {
		return elections(app).stream().filter((election) -> election.name().equals(name)).findFirst().orElseThrow();
	}

	private static ElectionDescription job(ConfigurableApplicationContext app) {
		return election(app, "job");
	}

	/**
	 * The state of the election {@code job}, {@code null} before the application joined
	 * it.
	 */
	private static @Nullable State state(ConfigurableApplicationContext app) {
		return elections(app).stream()
			.filter((election) -> election.name().equals("job"))
			.map(ElectionDescription::state)
			.findFirst()
			.orElse(null);
	}

	private static SessionDescription session(ConfigurableApplicationContext app) {
		return (SessionDescription) part(app).get("session");
	}

}
