package io.github.etcdspring.leader;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.leader.ElectionDescription.LastRevocation;
import io.github.etcdspring.leader.ElectionDescription.State;

/**
 * The elections this application joined through an {@link EtcdLeaderElection}, one entry
 * per election name for its latest candidacy (a candidacy withdrawn is forgotten), and
 * how many terms it was granted and lost or resigned: for the {@code etcd} endpoint and
 * the {@code etcd.leader.changes} meter. Thread-safe.
 *
 * @author etcd-spring-boot contributors
 */
final class ElectionStates {

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final LongAdder granted = new LongAdder();

	private final LongAdder revoked = new LongAdder();

	void joined(Candidacy candidacy, String prefix, String proposal) {
		this.entries.compute(candidacy.name(), (name, previous) -> {
			LastRevocation last = (previous != null) ? previous.description().lastRevocation() : null;
			return new Entry(candidacy,
					new ElectionDescription(name, prefix, proposal, State.CANDIDATE, now(), null, null, last, null));
		});
	}

	void granted(Candidacy candidacy, Leadership leadership) {
		this.granted.increment();
		update(candidacy, (current) -> new ElectionDescription(current.name(), current.prefix(), leadership.proposal(),
				State.LEADER, now(), leadership.key(), leadership.fencingToken(), current.lastRevocation(), null));
	}

	void revoked(Candidacy candidacy, Leadership leadership, Revocation revocation) {
		this.revoked.increment();
		update(candidacy, (current) -> new ElectionDescription(current.name(), current.prefix(), leadership.proposal(),
				revocation.lost() ? State.LOST : State.YIELDED, now(), leadership.key(), leadership.fencingToken(),
				new LastRevocation(now(), revocation.lost(), revocation.reason(), leadership.fencingToken()), null));
	}

	void failed(Candidacy candidacy, Throwable failure) {
		update(candidacy,
				(current) -> new ElectionDescription(current.name(), current.prefix(), current.proposal(), State.FAILED,
						now(), current.key(), current.fencingToken(), current.lastRevocation(),
						EtcdFailure.messageOf(failure)));
	}

	void withdrawn(Candidacy candidacy) {
		this.entries.computeIfPresent(candidacy.name(),
				(name, entry) -> (entry.candidacy() == candidacy) ? null : entry);
	}

	List<ElectionDescription> describe() {
		return this.entries.values()
			.stream()
			.map(Entry::description)
			.sorted(Comparator.comparing(ElectionDescription::name))
			.toList();
	}

	long grantedCount() {
		return this.granted.sum();
	}

	long revokedCount() {
		return this.revoked.sum();
	}

	private void update(Candidacy candidacy, UnaryOperator<ElectionDescription> change) {
		this.entries.computeIfPresent(candidacy.name(), (name, entry) -> (entry.candidacy() == candidacy)
				? new Entry(candidacy, change.apply(entry.description())) : entry);
	}

	private static String now() {
		return Instant.now().toString();
	}

	private record Entry(Candidacy candidacy, ElectionDescription description) {
	}

}
