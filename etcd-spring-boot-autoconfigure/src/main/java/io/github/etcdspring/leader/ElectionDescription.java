package io.github.etcdspring.leader;

import org.jspecify.annotations.Nullable;

/**
 * An election this application joined, as the {@code etcd} endpoint shows it in the
 * {@code elections} section of {@code /actuator/etcd/coordination}.
 *
 * @param name the election name
 * @param prefix the key prefix of the election's candidates, without
 * {@code etcd.namespace}
 * @param proposal this application's proposal
 * @param state where its candidacy stands
 * @param since when it came to that state
 * @param key its candidate key while it leads (and after, for the term that ended),
 * {@code null} before it first led
 * @param fencingToken the fencing token of its current or last term, {@code null} before
 * it first led
 * @param lastRevocation how its last term ended, {@code null} for never
 * @param failure why the campaign failed, for {@link State#FAILED}
 * @author etcd-spring-boot contributors
 */
public record ElectionDescription(String name, String prefix, String proposal, State state, String since,
		@Nullable String key, @Nullable Long fencingToken, @Nullable LastRevocation lastRevocation,
		@Nullable String failure) {

	/**
	 * Where a candidacy stands.
	 */
	public enum State {

		/** Waiting for its turn. */
		CANDIDATE,

		/** Leading. */
		LEADER,

		/** Resigned, and not campaigning again (yet). */
		YIELDED,

		/** Its term was lost (session lease or key gone), not campaigning again (yet). */
		LOST,

		/** The campaign failed before leading (session lost while waiting, etcd down). */
		FAILED

	}

	/**
	 * How a term ended.
	 *
	 * @param at when this application learnt it
	 * @param lost whether it was lost rather than resigned
	 * @param reason why
	 * @param fencingToken the term's fencing token
	 */
	public record LastRevocation(String at, boolean lost, String reason, long fencingToken) {
	}

}
