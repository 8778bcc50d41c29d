package io.github.etcdspring.leader;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.etcd.jetcd.ByteSequence;
import io.github.etcdspring.coordination.CoordinationSession.Registration;
import io.github.etcdspring.coordination.Hold;
import io.github.etcdspring.coordination.HoldLostException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One term of leadership of an election: from the moment a candidate leads until it
 * resigns or loses its key. A later term of the same candidate is another
 * {@code Leadership}, with a greater fencing token.
 * <p>
 * {@link #resign()} and {@link #proclaim} only touch the key while its create revision is
 * still this term's (etcd#22082); once the term is over they report it. Thread-safe.
 *
 * @author etcd-spring-boot contributors
 */
public final class Leadership implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(Leadership.class);

	private final String name;

	private final Hold hold;

	private final List<Consumer<Revocation>> listeners = new ArrayList<>();

	private volatile String proposal;

	private volatile @Nullable Revocation revocation;

	Leadership(String name, String proposal, Hold hold) {
		this.name = name;
		this.proposal = proposal;
		this.hold = hold;
		hold.onLoss((reason) -> revoke(new Revocation(true, reason)));
	}

	/**
	 * The election name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The proposal this candidate leads with, as last proclaimed.
	 * @return the proposal
	 */
	public String proposal() {
		return this.proposal;
	}

	/**
	 * The key of this candidate, without {@code etcd.namespace}.
	 * @return the key
	 */
	public String key() {
		return this.hold.key();
	}

	/**
	 * The session lease its key is on.
	 * @return the lease id
	 */
	public long leaseId() {
		return this.hold.leaseId();
	}

	/**
	 * The fencing token: the create revision of its key, greater than that of every
	 * earlier leader of the election.
	 * @return the token
	 */
	public long fencingToken() {
		return this.hold.fencingToken();
	}

	/**
	 * Whether this term goes on, as far as this application knows: neither resigned nor
	 * lost. {@link #verify()} asks etcd.
	 * @return whether leading
	 */
	public boolean isLeader() {
		return this.revocation == null && this.hold.isHeld();
	}

	/**
	 * Ask etcd whether its key is still there with its create revision, waiting for the
	 * answer; a term found over is revoked from now on.
	 * @return whether leading
	 * @throws RuntimeException when etcd could not be asked
	 */
	public boolean verify() {
		return this.revocation == null && this.hold.verify();
	}

	/**
	 * How the term ended.
	 * @return the revocation, or {@code null} while it goes on
	 */
	public @Nullable Revocation revocation() {
		return this.revocation;
	}

	/**
	 * Be told once when the term ends, at once if it is over already: on the thread that
	 * finds the loss (it must not block), or on the resigning thread.
	 * @param listener told how
	 * @return a registration that stops it
	 */
	public Registration onRevoked(Consumer<Revocation> listener) {
		Revocation over;
		synchronized (this.listeners) {
			over = this.revocation;
			if (over == null) {
				this.listeners.add(listener);
				return () -> {
					synchronized (this.listeners) {
						this.listeners.remove(listener);
					}
				};
			}
		}
		listener.accept(over);
		return () -> {
		};
	}

	/**
	 * Replace the proposal observers see, while still leading, waiting for etcd.
	 * @param proposal the new proposal
	 * @throws HoldLostException when the term is over
	 */
	public void proclaim(String proposal) {
		Revocation over = this.revocation;
		if (over != null) {
			throw new HoldLostException("The leadership of '" + this.name + "' is over: " + over.reason());
		}
		this.hold.proclaim(ByteSequence.from(proposal, StandardCharsets.UTF_8));
		this.proposal = proposal;
	}

	/**
	 * End the term: delete the key if it is still this term's, waiting for etcd; the next
	 * candidate leads at once. Idempotent.
	 * @return whether it still led until now; {@code false} when the term was over
	 * already
	 * @throws RuntimeException when etcd did not answer in time; the term is over for
	 * this application, and the delete goes on in the background until done or the
	 * session lease is gone
	 */
	public synchronized boolean resign() {
		if (this.revocation != null) {
			return false;
		}
		boolean led;
		try {
			led = this.hold.release();
		}
		catch (RuntimeException ex) {
			revoke(Revocation.RESIGNED);
			throw ex;
		}
		String lossReason = this.hold.lossReason();
		revoke(led ? Revocation.RESIGNED : new Revocation(true,
				(lossReason != null) ? lossReason : "its key " + key() + " was gone when it resigned"));
		return led;
	}

	/**
	 * {@link #resign()}.
	 */
	@Override
	public void close() {
		resign();
	}

	private void revoke(Revocation how) {
		List<Consumer<Revocation>> toTell;
		synchronized (this.listeners) {
			if (this.revocation != null) {
				return;
			}
			this.revocation = how;
			toTell = List.copyOf(this.listeners);
			this.listeners.clear();
		}
		for (Consumer<Revocation> listener : toTell) {
			try {
				listener.accept(how);
			}
			catch (RuntimeException ex) {
				logger.error("A listener of the end of the leadership of '" + this.name + "' failed", ex);
			}
		}
	}

	@Override
	public String toString() {
		return "leadership of '" + this.name + "' as '" + this.proposal + "' under " + key() + " since revision "
				+ fencingToken();
	}

}
