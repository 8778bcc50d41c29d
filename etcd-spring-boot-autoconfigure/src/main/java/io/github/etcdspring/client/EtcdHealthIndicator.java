package io.github.etcdspring.client;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.Client;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports whether the etcd cluster can serve requests: UP with the cluster id, member
 * count, leader and server version; DOWN with the reason otherwise.
 * <p>
 * A fleet polls health often, so the indicator asks the cluster at most once per
 * {@code etcd.health.interval} and answers the reads in between from the result of the
 * last check ({@code checkedAt} tells when it ran). Reads that come while a check runs
 * wait for it instead of starting their own. Every check completes within the request
 * timeout, even when etcd is down.
 * <p>
 * Between checks, the application's watches tell without a call when etcd is lost: one
 * that has been broken for longer than the request timeout (a watch resumes on another
 * member within that) turns the indicator DOWN at once, naming it and since when, until
 * it is in place again.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdHealthIndicator implements HealthIndicator {

	private final Client client;

	private final EtcdConnectionDetails connectionDetails;

	private final Duration timeout;

	private final long intervalNanos;

	private final Iterable<EtcdConnectionSignal> signals;

	private @Nullable Health last;

	private long lastCheckNanos;

	/**
	 * Create an indicator.
	 * @param client the client
	 * @param connectionDetails the endpoints the client uses
	 * @param timeout the time allowed to one check
	 * @param interval the least time between two checks
	 * @param signals what follows etcd between checks, read at each health read
	 */
	public EtcdHealthIndicator(Client client, EtcdConnectionDetails connectionDetails, Duration timeout,
			Duration interval, Iterable<EtcdConnectionSignal> signals) {
		this.client = client;
		this.connectionDetails = connectionDetails;
		this.timeout = timeout;
		this.intervalNanos = interval.toNanos();
		this.signals = signals;
	}

	@Override
	public synchronized Health health() {
		Health lost = lostByASignal();
		if (lost != null) {
			return lost;
		}
		Health last = this.last;
		if (last != null && System.nanoTime() - this.lastCheckNanos < this.intervalNanos) {
			return last;
		}
		Health checked = check();
		this.last = checked;
		this.lastCheckNanos = System.nanoTime();
		return checked;
	}

	private @Nullable Health lostByASignal() {
		Instant lostBefore = Instant.now().minus(this.timeout);
		for (EtcdConnectionSignal signal : this.signals) {
			Instant brokenSince = signal.brokenSince();
			if (brokenSince != null && brokenSince.isBefore(lostBefore)) {
				return Health.down()
					.withDetail("reason", EtcdFailure.UNREACHABLE.description())
					.withDetail("error",
							"the watch of " + signal.description() + " has been broken since " + brokenSince)
					.withDetail("endpoints", this.connectionDetails.getEndpoints().toString())
					.build();
			}
		}
		return null;
	}

	private Health check() {
		String checkedAt = Instant.now().toString();
		try {
			ClusterSnapshot cluster = ClusterSnapshot.read(this.client, this.connectionDetails.getEndpoints(),
					this.timeout);
			Health.Builder builder = Health.up()
				.withDetail("clusterId", Long.toHexString(cluster.clusterId()))
				.withDetail("members", cluster.members().size())
				.withDetail("checkedAt", checkedAt);
			String leader = cluster.leaderName();
			if (leader == null) {
				return builder.down().withDetail("reason", EtcdFailure.NO_LEADER.description()).build();
			}
			return builder.withDetail("leader", leader).withDetail("version", cluster.version()).build();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Health.down(ex).withDetail("checkedAt", checkedAt).build();
		}
		catch (ExecutionException | TimeoutException ex) {
			ConnectionFailure failure = ConnectionFailure.of((ex instanceof ExecutionException) ? ex.getCause() : ex,
					this.timeout, "etcd.request-timeout");
			return Health.down()
				.withDetail("reason", failure.failure().description())
				.withDetail("error", failure.detail())
				.withDetail("endpoints", this.connectionDetails.getEndpoints().toString())
				.withDetail("checkedAt", checkedAt)
				.build();
		}
	}

}
