package io.github.etcdspring.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.etcdspring.lease.LeaseSession;
import org.jspecify.annotations.Nullable;

/**
 * One of this application's registrations as it stands, shown by the
 * {@code registrations} part of the {@code etcd} endpoint. The lease figures come from
 * the state the keep-alive maintains (its last answer and when it came): reading a report
 * asks etcd nothing. The registrations of an application share one lease, so they show
 * the same lease figures.
 *
 * @param serviceId the service id
 * @param instanceId the instance id
 * @param status the status stored with the instance, e.g. {@code UP}
 * @param state {@code REGISTERED}, {@code RESTORING}, {@code FAILED}, {@code DRAINED},
 * {@code IDLE} or {@code CLOSED}
 * @param keys the key of the instance in each format published, by format
 * @param leaseId the lease the keys are under, in hexadecimal, or {@code null} while
 * there is none
 * @param ttlSeconds the TTL etcd granted the lease with (the configured one while there
 * is no lease)
 * @param remainingMillis how long the lease has left if no keep-alive answers meanwhile:
 * the TTL of the keep-alive's last answer less the time since, or {@code null} while
 * there is no lease
 * @param lastKeepAlive when the keep-alive last answered (or the lease was granted), or
 * {@code null}
 * @param keepAliveFailures how many times the keep-alive failed
 * @param reregistrations how many times the registration was written again after a loss
 * @param lastReregistrationReason why it was last written again, e.g.
 * {@code key-deleted}, or {@code null} for never
 * @param lastReregistrationTime when it was last written again, or {@code null} for never
 * @param lastFailure why it is not in etcd, or {@code null}
 * @author etcd-spring-boot contributors
 */
public record RegistrationReport(String serviceId, @Nullable String instanceId, String status, String state,
		Map<String, String> keys, @Nullable String leaseId, long ttlSeconds, @Nullable Long remainingMillis,
		@Nullable String lastKeepAlive, long keepAliveFailures, long reregistrations,
		@Nullable String lastReregistrationReason, @Nullable String lastReregistrationTime,
		@Nullable String lastFailure) {

	static List<RegistrationReport> of(List<EtcdRegistration> registrations, String state, PublishedFormats formats,
			RegistrationLease lease) {
		LeaseSession session = lease.session();
		long leaseId = (session != null) ? session.id() : 0;
		LeaseSession.Answer answer = (session != null) ? session.lastAnswer() : null;
		RegistrationStatistics statistics = lease.statistics();
		RegistrationStatistics.Reregistration last = statistics.lastReregistration();
		return registrations.stream().map((registration) -> {
			Map<String, String> keys = new LinkedHashMap<>();
			List<LeasedKey> leasedKeys = formats.keys(registration.toServiceInstance());
			List<String> names = formats.names();
			for (int i = 0; i < names.size(); i++) {
				keys.put(names.get(i), leasedKeys.get(i).describe(leaseId));
			}
			return new RegistrationReport(registration.getServiceId(), registration.getInstanceId(),
					registration.getStatus(), state, keys, (session != null) ? Long.toHexString(leaseId) : null,
					(session != null) ? session.grantedTtlSeconds() : lease.ttl().toSeconds(),
					(answer != null) ? answer.remaining().toMillis() : null,
					(answer != null) ? answer.at().toString() : null, statistics.keepAliveFailures(),
					statistics.reregistrations(), (last != null) ? last.reason().tagValue() : null,
					(last != null) ? last.at().toString() : null, lease.lastFailure());
		}).toList();
	}

}
