package io.github.etcdspring.watch;

import java.util.function.Function;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Response;
import io.github.etcdspring.client.ClusterRestoreCheck;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The history of etcd a {@link PrefixWatch} follows: the id of its cluster, and whether a
 * created watch continues it or shows a restored or recreated cluster
 * ({@link ClusterRestoreCheck}; a member that merely lags is not one). Logs what it finds
 * under the name of {@link PrefixWatch}. Confined to the owner's executor.
 *
 * @author etcd-spring-boot contributors
 */
final class FollowedHistory {

	private static final Log logger = LogFactory.getLog(PrefixWatch.class);

	private final Function<ByteSequence, ClusterRestoreCheck> restoreChecks;

	private final String subject;

	private long clusterId;

	private @Nullable ClusterRestoreCheck restoreCheck;

	/**
	 * The history of one watch.
	 * @param restoreChecks the check of created watches, by the key it reads to confirm a
	 * revision drop
	 * @param subject what is followed, for the logs
	 */
	FollowedHistory(Function<ByteSequence, ClusterRestoreCheck> restoreChecks, String subject) {
		this.restoreChecks = restoreChecks;
		this.subject = subject;
	}

	/**
	 * Confirm revision drops with a read of another key: the ranges followed changed.
	 * @param key the first range's key
	 */
	void confirmWith(ByteSequence key) {
		this.restoreCheck = this.restoreChecks.apply(key);
	}

	/**
	 * The owner read the ranges.
	 * @param readClusterId the cluster id of that read, or 0 to keep the one known
	 */
	void read(long readClusterId) {
		if (readClusterId != 0) {
			this.clusterId = readClusterId;
		}
	}

	/**
	 * Judge a created watch; the first one tells the cluster id when none is known, and a
	 * restored cluster's becomes the one followed.
	 * @param revision the revision seen by every range
	 * @param header the header of the created watch
	 * @return the verdict
	 * @throws RuntimeException when the check could not confirm a revision drop
	 */
	ClusterRestoreCheck.Verdict check(long revision, Response.Header header) {
		if (this.clusterId == 0) {
			this.clusterId = header.getClusterId();
		}
		ClusterRestoreCheck.Verdict verdict = this.restoreCheck.check(this.clusterId, revision, header);
		if (verdict == ClusterRestoreCheck.Verdict.RESTORED) {
			logger.warn("The etcd revision went back from " + revision + " to " + header.getRevision()
					+ ", or the cluster id changed (the cluster was restored or " + "recreated); reading "
					+ this.subject + " again");
			this.clusterId = header.getClusterId();
		}
		if (verdict == ClusterRestoreCheck.Verdict.LAGGING_MEMBER && logger.isDebugEnabled()) {
			logger.debug("The watch of " + this.subject + " is on a member at revision " + header.getRevision()
					+ ", behind " + revision + "; it delivers the changes once the member catches up");
		}
		return verdict;
	}

}
