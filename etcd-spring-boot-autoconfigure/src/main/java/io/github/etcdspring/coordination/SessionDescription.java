package io.github.etcdspring.coordination;

import org.jspecify.annotations.Nullable;

/**
 * The coordination session as the {@code etcd} endpoint shows it, from the state its
 * keep-alive keeps: no call to etcd.
 *
 * @param leaseId the current session lease in hexadecimal, as in its contenders' keys;
 * {@code null} when there is none (nothing acquired yet, or since the last loss)
 * @param ttlSeconds the TTL etcd last granted or renewed it with; {@code null} without a
 * lease
 * @param grantedAt when it was granted; {@code null} without a lease
 * @param renewedAt when etcd last answered its keep-alive (or granted it); {@code null}
 * without a lease
 * @param remainingMillis how long it lives without another renewal; {@code null} without
 * a lease
 * @param leasesGranted how many session leases were granted since startup
 * @param lastLoss the last session lease lost, {@code null} for never
 * @author etcd-spring-boot contributors
 */
public record SessionDescription(@Nullable String leaseId, @Nullable Long ttlSeconds, @Nullable String grantedAt,
		@Nullable String renewedAt, @Nullable Long remainingMillis, long leasesGranted, @Nullable Loss lastLoss) {

	/**
	 * A session lease lost: every lock and leadership under it was lost with it.
	 *
	 * @param leaseId the lease in hexadecimal
	 * @param at when this application found it lost
	 * @param reason why
	 */
	public record Loss(String leaseId, String at, String reason) {
	}

}
