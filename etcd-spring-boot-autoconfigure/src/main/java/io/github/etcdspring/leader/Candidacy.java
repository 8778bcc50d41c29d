package io.github.etcdspring.leader;

import java.util.concurrent.CompletableFuture;

import io.github.etcdspring.coordination.Hold;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A campaign under way, returned at once by
 * {@link EtcdLeaderElection#campaign(String, String, LeadershipListener)}: it leads at
 * most once. {@link #close()} withdraws it, waiting or leading.
 *
 * @author etcd-spring-boot contributors
 */
public final class Candidacy implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(Candidacy.class);

	private final String name;

	private final String proposal;

	private final CompletableFuture<@Nullable Hold> acquisition;

	private final ElectionStates states;

	private final CompletableFuture<Leadership> leadership = new CompletableFuture<>();

	private boolean withdrawn;

	Candidacy(String name, String proposal, String prefix, CompletableFuture<@Nullable Hold> acquisition,
			LeadershipListener listener, ElectionStates states) {
		this.name = name;
		this.proposal = proposal;
		this.acquisition = acquisition;
		this.states = states;
		states.joined(this, prefix, proposal);
		acquisition.whenComplete((hold, failure) -> {
			if (hold != null) {
				elected(hold, listener);
			}
			else if (!acquisition.isCancelled()) {
				Throwable cause = (failure != null) ? failure
						: new IllegalStateException("The campaign for '" + name + "' ended without leading");
				states.failed(this, cause);
				this.leadership.completeExceptionally(cause);
				listener.failed(cause);
			}
		});
	}

	/**
	 * The listener is told before the future completes, so that a caller that waited for
	 * it finds its callback done.
	 */
	private void elected(Hold hold, LeadershipListener listener) {
		Leadership elected = new Leadership(this.name, this.proposal, hold);
		synchronized (this) {
			if (this.withdrawn) {
				resignInBackground(elected);
				return;
			}
		}
		this.states.granted(this, elected);
		listener.granted(elected);
		if (!this.leadership.complete(elected)) {
			// withdrawn meanwhile
			resignInBackground(elected);
		}
		elected.onRevoked((revocation) -> {
			this.states.revoked(this, elected, revocation);
			listener.revoked(elected, revocation);
		});
	}

	/**
	 * Resign off the coordinator's thread, which must not wait for etcd.
	 */
	private void resignInBackground(Leadership withdrawn) {
		CompletableFuture.runAsync(withdrawn::resign).exceptionally((ex) -> {
			logger.warn("Could not resign the withdrawn leadership of '" + this.name + "'", ex);
			return null;
		});
	}

	/**
	 * The election name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The leadership, once granted; failed when the campaign failed, cancelled when
	 * withdrawn before leading.
	 * @return the future leadership
	 */
	public CompletableFuture<Leadership> leadership() {
		return this.leadership;
	}

	/**
	 * Whether it leads now.
	 * @return whether leading
	 */
	public boolean isLeader() {
		Leadership current = current();
		return current != null && current.isLeader();
	}

	/**
	 * Withdraw: stop waiting (its key is deleted), or resign when leading (waiting for
	 * etcd). Idempotent.
	 */
	@Override
	public void close() {
		synchronized (this) {
			this.withdrawn = true;
		}
		this.acquisition.cancel(false);
		this.leadership.cancel(false);
		Leadership current = current();
		try {
			if (current != null) {
				current.resign();
			}
		}
		finally {
			this.states.withdrawn(this);
		}
	}

	private @Nullable Leadership current() {
		return (this.leadership.isDone() && !this.leadership.isCompletedExceptionally()) ? this.leadership.join()
				: null;
	}

}
