package io.github.etcdspring.watch;

import io.etcd.jetcd.common.exception.CompactedException;
import io.github.etcdspring.client.EtcdFailure;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What a broken {@link PrefixWatch} calls for: whatever its {@link Recovery}, a compacted
 * revision or a batch larger than the client accepts is a {@link WatchListener.Reset};
 * otherwise a watch that reads again is reset as {@link WatchListener.Reset#BROKEN}, and
 * one that resumes does so from the last revision seen. Logs what it decides under the
 * name of {@link PrefixWatch}.
 *
 * @author etcd-spring-boot contributors
 */
final class BreakClassifier {

	private static final Log logger = LogFactory.getLog(PrefixWatch.class);

	private final Recovery recovery;

	private final String subject;

	/**
	 * A classifier for one watch.
	 * @param recovery what to do when the watch breaks
	 * @param subject what is followed, for the logs
	 */
	BreakClassifier(Recovery recovery, String subject) {
		this.recovery = recovery;
		this.subject = subject;
	}

	/**
	 * Classify a break: an error, or an end without one (jetcd's own ends after an error
	 * never get here: the error closed the watch).
	 * @param error the error, or {@code null} for an end
	 * @param revision the revision seen by every range
	 * @param failedAttempts how many attempts failed in a row: a resume is logged only at
	 * the first
	 * @return the reset, or {@code null} to resume from the revision after the one seen
	 */
	WatchListener.@Nullable Reset classify(@Nullable Throwable error, long revision, int failedAttempts) {
		if (error instanceof CompactedException compacted) {
			logger.warn("Revision " + (revision + 1) + " of " + this.subject + " was compacted; reading it "
					+ "again (etcd compacted up to revision " + compacted.getCompactedRevision() + ")");
			return WatchListener.Reset.COMPACTED;
		}
		if (error != null && EtcdFailure.of(error) == EtcdFailure.TOO_LARGE) {
			// resuming would fetch the same batch again: the owner reads in pages and
			// watches from there instead
			logger.warn("The changes of " + this.subject + " from revision " + (revision + 1)
					+ " exceed etcd.max-inbound-message-size; reading it again");
			return WatchListener.Reset.TOO_LARGE;
		}
		if (this.recovery == Recovery.READ_AGAIN) {
			return WatchListener.Reset.BROKEN;
		}
		if (failedAttempts == 0) {
			// an end without an error is rare (a stream that etcd or gRPC ended as if
			// done) but must leave a trace too
			String why = (error != null)
					? "broke (" + EtcdFailure.of(error).description() + ": " + EtcdFailure.messageOf(error) + ")"
					: "ended without an error";
			logger.warn("The watch of " + this.subject + " " + why + "; resuming from revision " + (revision + 1));
		}
		return null;
	}

}
