package io.github.etcdspring.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.cluster.MemberListResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.github.etcdspring.endpoint.EtcdEndpointPart;
import org.jspecify.annotations.Nullable;

/**
 * The {@code cluster} part of the {@code etcd} endpoint: the cluster's members, leader
 * and server version, and the endpoints this client uses, each with its answer. Unlike
 * the other parts it asks etcd, with one member list call and one status call per
 * endpoint, all at once and within {@code etcd.request-timeout}; an endpoint or a cluster
 * that does not answer is shown with the reason instead of failing the read.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdClusterPart implements EtcdEndpointPart {

	private final Client client;

	private final EtcdConnectionDetails endpoints;

	private final boolean endpointsFollowMembers;

	private final Duration timeout;

	/**
	 * Create the part.
	 * @param client the client
	 * @param endpoints the endpoints the client uses now
	 * @param endpointsFollowMembers whether the endpoints follow the cluster's members
	 * ({@code etcd.auto-sync-interval})
	 * @param timeout the time allowed to one read
	 */
	public EtcdClusterPart(Client client, EtcdConnectionDetails endpoints, boolean endpointsFollowMembers,
			Duration timeout) {
		this.client = client;
		this.endpoints = endpoints;
		this.endpointsFollowMembers = endpointsFollowMembers;
		this.timeout = timeout;
	}

	@Override
	public String name() {
		return "cluster";
	}

	@Override
	public Cluster describe() {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		CompletableFuture<MemberListResponse> memberList = this.client.getClusterClient().listMember();
		Map<URI, CompletableFuture<StatusResponse>> statusCalls = new LinkedHashMap<>();
		this.endpoints.getEndpoints()
			.forEach((endpoint) -> statusCalls.put(endpoint,
					this.client.getMaintenanceClient().statusMember(endpoint.toString())));
		String clusterId = null;
		List<Member> members = List.of();
		ConnectionFailure failure = null;
		try {
			MemberListResponse response = ClusterSnapshot.await(memberList, deadline);
			clusterId = Long.toHexString(response.getHeader().getClusterId());
			members = response.getMembers();
		}
		catch (ExecutionException | TimeoutException | InterruptedException ex) {
			failure = failure(ex);
		}
		List<EndpointStatus> endpoints = new ArrayList<>();
		long leaderId = 0;
		String version = null;
		for (Map.Entry<URI, CompletableFuture<StatusResponse>> call : statusCalls.entrySet()) {
			try {
				StatusResponse status = ClusterSnapshot.await(call.getValue(), deadline);
				leaderId = (leaderId != 0) ? leaderId : status.getLeader();
				version = (version != null) ? version : status.getVersion();
				endpoints.add(new EndpointStatus(call.getKey().toString(),
						ClusterSnapshot.memberName(members, status.getHeader().getMemberId()), status.getVersion(),
						null));
			}
			catch (ExecutionException | TimeoutException | InterruptedException ex) {
				ConnectionFailure endpointFailure = failure(ex);
				endpoints.add(new EndpointStatus(call.getKey().toString(), null, null,
						endpointFailure.failure().description() + ": " + endpointFailure.detail()));
			}
		}
		String reason = (failure != null) ? failure.failure().description()
				: (leaderId == 0) ? EtcdFailure.NO_LEADER.description() : null;
		return new Cluster(clusterId, (failure == null) ? members.stream().map(ClusterMember::of).toList() : null,
				(leaderId != 0) ? ClusterSnapshot.memberName(members, leaderId) : null, version, endpoints,
				this.endpointsFollowMembers, reason, (failure != null) ? failure.detail() : null);
	}

	private ConnectionFailure failure(Exception ex) {
		if (ex instanceof InterruptedException) {
			Thread.currentThread().interrupt();
		}
		return ConnectionFailure.of((ex instanceof ExecutionException) ? ex.getCause() : ex, this.timeout,
				"etcd.request-timeout");
	}

	/**
	 * The cluster as this client sees it.
	 *
	 * @param clusterId the cluster's id in hexadecimal, {@code null} when etcd did not
	 * answer
	 * @param members the members, {@code null} when etcd did not answer
	 * @param leader the leader's name, {@code null} without a leader or an answer
	 * @param version the server version of the first endpoint that answered
	 * @param endpoints the endpoints the client uses now, each with its answer
	 * @param endpointsFollowMembers whether the endpoints follow the members
	 * ({@code etcd.auto-sync-interval})
	 * @param reason why the cluster cannot serve requests, {@code null} when it can
	 * @param error what failed, in one line, {@code null} when etcd answered
	 */
	public record Cluster(@Nullable String clusterId, @Nullable List<ClusterMember> members, @Nullable String leader,
			@Nullable String version, List<EndpointStatus> endpoints, boolean endpointsFollowMembers,
			@Nullable String reason, @Nullable String error) {

	}

	/**
	 * One endpoint of the client and how it answered a status call.
	 *
	 * @param url the endpoint
	 * @param member the name of the member that answered, {@code null} without an answer
	 * @param version its server version, {@code null} without an answer
	 * @param error why it did not answer, {@code null} when it did
	 */
	public record EndpointStatus(String url, @Nullable String member, @Nullable String version,
			@Nullable String error) {

	}

	/**
	 * One member of the cluster.
	 *
	 * @param name the member's name, empty until it has started
	 * @param id the member's id in hexadecimal
	 * @param clientUrls the URLs where it serves clients
	 * @param peerUrls the URLs where it talks to the other members
	 * @param learner whether it is a learner (no vote, serves no client)
	 */
	public record ClusterMember(String name, String id, List<String> clientUrls, List<String> peerUrls,
			boolean learner) {

		static ClusterMember of(Member member) {
			return new ClusterMember(member.getName(), Long.toHexString(member.getId()), urls(member::getClientURIs),
					urls(member::getPeerURIs), member.isLearner());
		}

		/**
		 * The URLs as etcd gave them; none when one of them is malformed (the member list
		 * is untrusted input).
		 */
		private static List<String> urls(Supplier<List<URI>> urls) {
			try {
				return urls.get().stream().map(URI::toString).toList();
			}
			catch (IllegalArgumentException ex) {
				return List.of();
			}
		}

	}

}
