package io.github.etcdspring.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.election.CampaignResponse;
import io.etcd.jetcd.election.LeaderKey;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdspring.client.RetryBackoff;
import io.github.etcdspring.coordination.CoordinationSession;
import io.github.etcdspring.coordination.EtcdCoordinator;
import io.github.etcdspring.leader.Candidacy;
import io.github.etcdspring.leader.EtcdLeaderElection;
import io.github.etcdspring.leader.Leadership;
import io.github.etcdspring.leader.LeadershipListener;
import io.github.etcdspring.leader.Revocation;

/**
 * Leader failover: how long after the leader lets go the next candidate is told it leads.
 * Two candidates, each with a client and a coordination session of its own (as two
 * processes would have), in this JVM and one election:
 * <ul>
 * <li><b>resign</b>: from just before the leader calls {@link Leadership#resign()} to the
 * waiting candidate's {@link LeadershipListener#granted} callback; the roles alternate,
 * the old leader campaigning again (and waiting) before the next round;</li>
 * <li><b>jetcd {@code Election}, resign</b>: the same with jetcd's own election client
 * (etcd's server-side {@code v3election}), from just before {@code resign} to the
 * completion of the waiting {@code campaign};</li>
 * <li><b>abandoned session</b>: from closing the leader's client without resigning or
 * revoking (as a process killed with SIGKILL) to the waiting candidate's granted
 * callback: the session lease must expire in etcd first, so it is dominated by the
 * session TTL ({@value #TTL_SECONDS}s here).</li>
 * </ul>
 * Run with
 * {@code java -cp benchmarks.jar io.github.etcdspring.benchmarks.LeaderFailoverBenchmark [resigns] [abandons]}
 * (defaults {@value #DEFAULT_RESIGNS} and {@value #DEFAULT_ABANDONS}, at most
 * {@value #MAX_ROUNDS} each), after {@value #WARMUP} unreported resigns of each kind.
 *
 * @author etcd-spring-boot contributors
 */
public final class LeaderFailoverBenchmark {

	private static final long TTL_SECONDS = 2;

	private static final int WARMUP = 20;

	private static final int DEFAULT_RESIGNS = 200;

	private static final int DEFAULT_ABANDONS = 5;

	private static final int MAX_ROUNDS = 2000;

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String ELECTION = "failover";

	private LeaderFailoverBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int resigns = rounds(args, 0, DEFAULT_RESIGNS);
		int abandons = rounds(args, 1, DEFAULT_ABANDONS);
		try (BenchmarkEtcd etcd = BenchmarkEtcd.start()) {
			List<Long> resign = resignFailover(etcd, resigns);
			List<Long> jetcdResign = jetcdResignFailover(etcd, resigns);
			List<Long> abandoned = abandonedSessionFailover(etcd, abandons);
			System.out
				.println("Leader failover, from the leader letting go to the next candidate told it leads, in ms");
			System.out.println("| Failover | median | p90 | p99 | max |");
			System.out.println("|---|---:|---:|---:|---:|");
			System.out.println(new Samples(resign).millisRow("resign, EtcdLeaderElection (" + resigns + ")"));
			System.out.println(new Samples(jetcdResign).millisRow("resign, jetcd Election (" + resigns + ")"));
			System.out.println(new Samples(abandoned)
				.millisRow("abandoned session, TTL " + TTL_SECONDS + "s, EtcdLeaderElection (" + abandons + ")"));
		}
	}

	private static List<Long> resignFailover(BenchmarkEtcd etcd, int rounds) throws Exception {
		List<Long> samples = new ArrayList<>();
		try (Candidate a = new Candidate(etcd); Candidate b = new Candidate(etcd)) {
			Leadership leading = a.election.campaign(ELECTION, "a");
			Candidate waiting = b;
			for (int i = 0; i < WARMUP + rounds; i++) {
				Timed next = waiting.campaign();
				awaitKeys(a.client, "elections/" + ELECTION + "/", 2);
				long start = System.nanoTime();
				leading.resign();
				long granted = next.grantedAt();
				if (i >= WARMUP) {
					samples.add(granted - start);
				}
				leading = next.leadership();
				waiting = (waiting == a) ? b : a;
			}
			leading.resign();
		}
		return samples;
	}

	private static List<Long> jetcdResignFailover(BenchmarkEtcd etcd, int rounds) throws Exception {
		List<Long> samples = new ArrayList<>();
		ByteSequence name = bytes("jetcd-" + ELECTION);
		try (Client a = etcd.newClient(); Client b = etcd.newClient()) {
			long aLease = a.getLeaseClient().grant(60).get().getID();
			long bLease = b.getLeaseClient().grant(60).get().getID();
			LeaderKey leading = a.getElectionClient().campaign(name, aLease, bytes("a")).get().getLeader();
			Client waitingClient = b;
			long waitingLease = bLease;
			for (int i = 0; i < WARMUP + rounds; i++) {
				CompletableFuture<CampaignResponse> campaign = waitingClient.getElectionClient()
					.campaign(name, waitingLease, bytes("x"));
				CompletableFuture<Long> grantedAt = campaign.thenApply((response) -> System.nanoTime());
				Client leadingClient = (waitingClient == a) ? b : a;
				awaitKeys(a, "jetcd-" + ELECTION + "/", 2);
				long start = System.nanoTime();
				leadingClient.getElectionClient().resign(leading).get();
				long granted = grantedAt.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				if (i >= WARMUP) {
					samples.add(granted - start);
				}
				leading = campaign.get().getLeader();
				waitingClient = leadingClient;
				waitingLease = (waitingClient == a) ? aLease : bLease;
			}
			a.getLeaseClient().revoke(aLease).get();
			b.getLeaseClient().revoke(bLease).get();
		}
		return samples;
	}

	private static List<Long> abandonedSessionFailover(BenchmarkEtcd etcd, int rounds) throws Exception {
		List<Long> samples = new ArrayList<>();
		try (Candidate waiting = new Candidate(etcd)) {
			for (int i = 0; i < rounds; i++) {
				Candidate abandoned = new Candidate(etcd);
				abandoned.election.campaign(ELECTION, "abandoned");
				Timed next = waiting.campaign();
				awaitKeys(waiting.client, "elections/" + ELECTION + "/", 2);
				long start = System.nanoTime();
				abandoned.client.close(); // no resign, no revoke
				samples.add(next.grantedAt() - start);
				abandoned.coordinator.destroy();
				next.leadership().resign();
			}
		}
		return samples;
	}

	private static void awaitKeys(Client reader, String prefix, int count) {
		ConfigBenchmarks.await(() -> BenchmarkRegistry
			.await(reader.getKVClient()
				.get(bytes(prefix), GetOption.builder().isPrefix(true).withCountOnly(true).build()))
			.getCount() == count, count + " candidates under " + prefix);
	}

	private static ByteSequence bytes(String value) {
		return ByteSequence.from(value, StandardCharsets.UTF_8);
	}

	private static int rounds(String[] args, int index, int defaultRounds) {
		int rounds = (args.length > index) ? Integer.parseInt(args[index]) : defaultRounds;
		if (rounds < 1 || rounds > MAX_ROUNDS) {
			throw new IllegalArgumentException("rounds must be from 1 to " + MAX_ROUNDS);
		}
		return rounds;
	}

	/**
	 * A candidate as another process would be: its own client, session and coordinator.
	 */
	private static final class Candidate implements AutoCloseable {

		final Client client;

		final EtcdCoordinator coordinator;

		final EtcdLeaderElection election;

		Candidate(BenchmarkEtcd etcd) {
			this.client = etcd.newClient();
			Duration requestTimeout = Duration.ofSeconds(5);
			this.coordinator = new EtcdCoordinator(this.client,
					new CoordinationSession(this.client, TTL_SECONDS, requestTimeout), requestTimeout,
					new RetryBackoff(Duration.ofMillis(50), Duration.ofSeconds(1)));
			this.election = new EtcdLeaderElection(this.coordinator, this.client, "elections");
		}

		Timed campaign() {
			Timed timed = new Timed();
			timed.candidacy = this.election.campaign(ELECTION, "next", timed);
			return timed;
		}

		@Override
		public void close() {
			this.coordinator.destroy();
			this.client.close();
		}

	}

	/**
	 * A campaign whose granted callback takes the time.
	 */
	private static final class Timed implements LeadershipListener {

		private final CompletableFuture<Long> grantedAt = new CompletableFuture<>();

		private Candidacy candidacy;

		@Override
		public void granted(Leadership leadership) {
			this.grantedAt.complete(System.nanoTime());
		}

		@Override
		public void revoked(Leadership leadership, Revocation revocation) {
		}

		long grantedAt() throws Exception {
			return this.grantedAt.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}

		Leadership leadership() throws Exception {
			return this.candidacy.leadership().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}

	}

}
