package io.github.etcdspring.client;

import java.net.URI;
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
import org.jspecify.annotations.Nullable;

/**
 * The cluster as one read sees it: the member list, and the leader and server version as
 * the first member to answer reports them. The read takes one member list call and one
 * status call per endpoint, all within one request timeout.
 *
 * @param clusterId the cluster's id
 * @param members the members, as etcd lists them
 * @param leaderId the id of the leader, 0 when the cluster has none
 * @param version the version of the member that answered the status call
 * @author etcd-spring-boot contributors
 */
record ClusterSnapshot(long clusterId, List<Member> members, long leaderId, String version) {

	/**
	 * Read the cluster once.
	 * @param client the client
	 * @param endpoints the endpoints the client uses, asked for their status at once
	 * @param timeout the time allowed to the whole read
	 * @return the snapshot
	 * @throws InterruptedException when the thread is interrupted
	 * @throws ExecutionException when a call fails (its cause says why)
	 * @throws TimeoutException when etcd did not answer in time
	 */
	static ClusterSnapshot read(Client client, List<URI> endpoints, Duration timeout)
			throws InterruptedException, ExecutionException, TimeoutException {
		long deadline = System.nanoTime() + timeout.toNanos();
		MemberListResponse members = await(client.getClusterClient().listMember(), deadline);
		StatusResponse status = statusOfFirstAnsweringEndpoint(client, endpoints, deadline);
		return new ClusterSnapshot(members.getHeader().getClusterId(), members.getMembers(), status.getLeader(),
				status.getVersion());
	}

	/**
	 * The name of the leader, or its id in hexadecimal when it has no name yet.
	 * @return the leader's name, {@code null} without a leader
	 */
	@Nullable String leaderName() {
		return (this.leaderId != 0) ? memberName(this.members, this.leaderId) : null;
	}

	/**
	 * The name of a member, or its id in hexadecimal when it has no name yet or is not
	 * listed.
	 * @param members the members listed
	 * @param id the member's id
	 * @return its name
	 */
	static String memberName(List<Member> members, long id) {
		return members.stream()
			.filter((member) -> member.getId() == id && !member.getName().isEmpty())
			.map(Member::getName)
			.findFirst()
			.orElse(Long.toHexString(id));
	}

	/**
	 * The leader and version are only known member by member: ask every endpoint at once
	 * and take the first answer, so that a dead member does not use up the time of the
	 * read.
	 */
	private static StatusResponse statusOfFirstAnsweringEndpoint(Client client, List<URI> endpoints, long deadline)
			throws InterruptedException, ExecutionException, TimeoutException {
		List<CompletableFuture<StatusResponse>> calls = endpoints.stream()
			.map((endpoint) -> client.getMaintenanceClient().statusMember(endpoint.toString()))
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

	/**
	 * Wait for a call until a deadline, and cancel it if it did not complete.
	 * @param <T> the type of the answer
	 * @param future the call
	 * @param deadline the deadline in {@link System#nanoTime()}
	 * @return the answer
	 * @throws InterruptedException when the thread is interrupted
	 * @throws ExecutionException when the call failed
	 * @throws TimeoutException when the deadline passed
	 */
	static <T> T await(CompletableFuture<T> future, long deadline)
			throws InterruptedException, ExecutionException, TimeoutException {
		try {
			return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		finally {
			future.cancel(true);
		}
	}

}
