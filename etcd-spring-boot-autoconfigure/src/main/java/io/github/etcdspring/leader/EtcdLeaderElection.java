package io.github.etcdspring.leader;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import io.etcd.jetcd.Client;
import io.github.etcdspring.coordination.ContenderQueue;
import io.github.etcdspring.coordination.EtcdCoordinator;

/**
 * Leader election on etcd, compatible with etcd's Go {@code concurrency.Election} and
 * {@code etcdctl elect}: a candidate's key is {@code {prefix}/{name}/{session lease id in
 * hex}}, its value the proposal, on this application's coordination session lease; the
 * candidate whose key has the lowest create revision leads. Waiting candidates watch the
 * key created just before their own, check their own key still exists once at the front
 * (etcd#19597), and resign only their own term (etcd#22082).
 * <p>
 * Every method checks the name: empty names, names with a '/' or a control character are
 * refused with an {@link IllegalArgumentException}.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdLeaderElection {

	private final EtcdCoordinator coordinator;

	private final Client client;

	private final String prefix;

	private final ElectionStates states = new ElectionStates();

	/**
	 * @param coordinator the coordinator, whose session backs every candidate
	 * @param client the client, to observe elections
	 * @param prefix the prefix of election keys, {@code etcd.leader.prefix}
	 */
	public EtcdLeaderElection(EtcdCoordinator coordinator, Client client, String prefix) {
		this.coordinator = coordinator;
		this.client = client;
		this.prefix = prefix;
	}

	/**
	 * Campaign and wait until leading.
	 * @param name the election
	 * @param proposal the value observers see while it leads
	 * @return the leadership; {@link Leadership#onRevoked} tells its end
	 * @throws InterruptedException when interrupted while waiting: the candidate's key is
	 * deleted
	 * @throws io.github.etcdspring.coordination.HoldLostException when the session lease
	 * was lost while waiting
	 */
	public Leadership campaign(String name, String proposal) throws InterruptedException {
		Candidacy candidacy = campaign(name, proposal, new LeadershipListener() {

			@Override
			public void granted(Leadership leadership) {
			}

			@Override
			public void revoked(Leadership leadership, Revocation revocation) {
			}

		});
		try {
			return candidacy.leadership().get();
		}
		catch (InterruptedException ex) {
			candidacy.close();
			throw ex;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw new IllegalStateException("The campaign for '" + name + "' failed", ex.getCause());
		}
	}

	/**
	 * Campaign in the background.
	 * @param name the election
	 * @param proposal the value observers see while it leads
	 * @param listener told when it leads, when that ends, or when the campaign fails
	 * @return the candidacy, at once once the session has a lease (the first campaign or
	 * lock of the application, or the first after a lost lease, waits for etcd to grant
	 * one)
	 * @throws RuntimeException when etcd could not grant a session lease
	 */
	public Candidacy campaign(String name, String proposal, LeadershipListener listener) {
		ContenderQueue queue = queue(name);
		return new Candidacy(name, proposal, queue.prefix(),
				this.coordinator.acquire(queue, proposal.getBytes(StandardCharsets.UTF_8), true), listener,
				this.states);
	}

	/**
	 * The leader now, waiting for etcd.
	 * @param name the election
	 * @return the leader, empty when nobody leads
	 */
	public Optional<Leader> leader(String name) {
		return this.coordinator.first(queue(name)).map((first) -> Leader.of(name, first));
	}

	/**
	 * Observe an election: the observer is told the leader once read (empty when nobody
	 * leads), then every change of it, "no leader" included, on the coordinator's thread.
	 * @param name the election
	 * @param observer the observer, which must not block
	 * @return the observation; close it to stop
	 */
	public LeaderObservation observe(String name, LeaderObserver observer) {
		LeaderObservation observation = new LeaderObservation(this.client, this.coordinator, queue(name), observer);
		observation.start();
		return observation;
	}

	/**
	 * The elections this application joined through this bean, for the endpoint and the
	 * meters.
	 */
	ElectionStates states() {
		return this.states;
	}

	private ContenderQueue queue(String name) {
		return new ContenderQueue(this.prefix, name);
	}

}
