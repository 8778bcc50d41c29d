package io.github.etcdspring.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.cluster.MemberListResponse;
import io.etcd.jetcd.maintenance.StatusResponse;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports whether the etcd cluster can serve requests: UP with the cluster id, member
 * count, leader and server version; DOWN with the reason otherwise. Every check completes
 * within the request timeout, even when etcd is down.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdHealthIndicator implements HealthIndicator {

	private final Client client;

	private final EtcdConnectionDetails connectionDetails;

	private final Duration timeout;

	public EtcdHealthIndicator(Client client, EtcdConnectionDetails connectionDetails, Duration timeout) {
		this.client = client;
		this.connectionDetails = connectionDetails;
		this.timeout = timeout;
	}

	@Override
	public Health health() {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		try {
			MemberListResponse members = await(this.client.getClusterClient().listMember(), deadline);
			Health.Builder builder = Health.up()
				.withDetail("clusterId", Long.toHexString(members.getHeader().getClusterId()))
				.withDetail("members", members.getMembers().size());
			StatusResponse status = statusOfFirstAnsweringEndpoint(deadline);
			if (status.getLeader() == 0) {
				return builder.down().withDetail("reason", EtcdFailure.NO_LEADER.description()).build();
			}
			return builder.withDetail("leader", memberName(members.getMembers(), status.getLeader()))
				.withDetail("version", status.getVersion())
				.build();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Health.down(ex).build();
		}
		catch (ExecutionException | TimeoutException ex) {
			ConnectionFailure failure = ConnectionFailure.of((ex instanceof ExecutionException) ? ex.getCause() : ex,
					this.timeout, "etcd.request-timeout");
			return Health.down()
				.withDetail("reason", failure.failure().description())
				.withDetail("error", failure.detail())
				.withDetail("endpoints", this.connectionDetails.getEndpoints().toString())
				.build();
		}
	}

	/**
	 * The leader and version are only known member by member: ask every configured
	 * endpoint at once and take the first answer, so that a dead member does not use up
	 * the time of the check.
	 */
	private StatusResponse statusOfFirstAnsweringEndpoint(long deadline)
			throws InterruptedException, ExecutionException, TimeoutException {
		List<CompletableFuture<StatusResponse>> calls = this.connectionDetails.getEndpoints()
			.stream()
			.map((endpoint) -> this.client.getMaintenanceClient().statusMember(endpoint.toString()))
			.toList();
		CompletableFuture<StatusResponse> firstAnswer = new CompletableFuture<>();
		AtomicInteger pending = new AtomicInteger(calls.size());
		calls.forEach((call) -> call.whenComplete((status, failure) -> {
			if (failure == null) {
				firstAnswer.complete(status);
			}
			else if (pending.decrementAndGet() == 0) {
				firstAnswer.completeExceptionally(failure);
			}
		}));
		try {
			return await(firstAnswer, deadline);
		}
		finally {
			calls.forEach((call) -> call.cancel(true));
		}
	}

	private static String memberName(List<Member> members, long id) {
		return members.stream()
			.filter((member) -> member.getId() == id)
			.map(Member::getName)
			.findFirst()
			.orElse(Long.toHexString(id));
	}

	private static <T> T await(CompletableFuture<T> future, long deadline)
			throws InterruptedException, ExecutionException, TimeoutException {
		try {
			return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		finally {
			future.cancel(true);
		}
	}

}
