package io.github.etcdspring.leader;

/**
 * How a leadership ended.
 *
 * @param lost whether it was lost (its session lease expired or was revoked, or its key
 * was deleted by another) rather than resigned
 * @param reason why, for messages
 * @author etcd-spring-boot contributors
 */
public record Revocation(boolean lost, String reason) {

	static final Revocation RESIGNED = new Revocation(false, "resigned");

}
