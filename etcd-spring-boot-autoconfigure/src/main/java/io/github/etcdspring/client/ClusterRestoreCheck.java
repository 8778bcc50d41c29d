package io.github.etcdspring.client;

import java.time.Duration;
import java.util.function.Supplier;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Response;
import io.etcd.jetcd.options.GetOption;

/**
 * Tells a restored or recreated cluster from a member that lags behind. jetcd spreads
 * calls over the members, so a watch may be created on a follower whose revision is still
 * behind the revision a range read returned a moment before: that is not a revision that
 * went back. Only a changed cluster id, or a revision drop that a linearizable read
 * confirms (a linearizable read waits for the member to catch up with the leader), is a
 * cluster that was restored or recreated and must be read again.
 *
 * @author etcd-spring-boot contributors
 */
public final class ClusterRestoreCheck {

	/**
	 * What a created watch says about the history the caller follows.
	 */
	public enum Verdict {

		/** The watch continues the history read so far. */
		CONTINUOUS,

		/**
		 * The watch is on a member that has not applied the latest revisions yet; it
		 * delivers them once it has.
		 */
		LAGGING_MEMBER,

		/** The cluster was restored or recreated: what was read before may be gone. */
		RESTORED

	}

	private final Supplier<Response.Header> linearizableRead;

	/**
	 * A check with the given linearizable read.
	 * @param linearizableRead reads the header of any linearizable request; may throw
	 * when etcd does not answer
	 */
	public ClusterRestoreCheck(Supplier<Response.Header> linearizableRead) {
		this.linearizableRead = linearizableRead;
	}

	/**
	 * A check that confirms a revision drop with a linearizable count of one key.
	 * @param client the client
	 * @param key a key the caller may read
	 * @param requestTimeout how long the read may take
	 * @return the check
	 */
	public static ClusterRestoreCheck of(Client client, ByteSequence key, Duration requestTimeout) {
		GetOption countOnly = GetOption.builder().withCountOnly(true).withSerializable(false).build();
		return new ClusterRestoreCheck(
				() -> EtcdFutures.await(client.getKVClient().get(key, countOnly), requestTimeout).getHeader());
	}

	/**
	 * Judge the header of a created watch.
	 * @param knownClusterId the cluster id of the history followed so far, 0 when not
	 * known
	 * @param knownRevision the latest revision read or applied
	 * @param watchHeader the header of the created watch
	 * @return the verdict
	 * @throws RuntimeException when the revision went back and the linearizable read that
	 * would confirm it fails: neither a reload nor the watch can be trusted yet, so the
	 * caller tries again later
	 */
	public Verdict check(long knownClusterId, long knownRevision, Response.Header watchHeader) {
		if (otherCluster(knownClusterId, watchHeader)) {
			return Verdict.RESTORED;
		}
		if (watchHeader.getRevision() >= knownRevision) {
			return Verdict.CONTINUOUS;
		}
		Response.Header confirmed = this.linearizableRead.get();
		if (otherCluster(knownClusterId, confirmed) || confirmed.getRevision() < knownRevision) {
			return Verdict.RESTORED;
		}
		return Verdict.LAGGING_MEMBER;
	}

	private static boolean otherCluster(long knownClusterId, Response.Header header) {
		return knownClusterId != 0 && header.getClusterId() != knownClusterId;
	}

}
