package io.github.etcdspring.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.StringUtils;

/**
 * Refreshes the client's endpoints from the cluster's member list every
 * {@code etcd.auto-sync-interval}, like {@code AutoSyncInterval} of etcd's Go client: a
 * cluster whose members are replaced one by one (new addresses) stays reachable after
 * every original endpoint is gone.
 * <p>
 * As in the Go client, members that have not started yet (no name) and learners are left
 * out. The member list is untrusted input: a client URL that cannot be used (malformed,
 * or plain text while the client uses TLS and the reverse) is skipped with a warning
 * naming the member (logged again only when the problems change), at most
 * {@value #MAX_ENDPOINTS} endpoints are taken, and a list without a usable endpoint, like
 * a failed call, keeps the endpoints in force.
 *
 * @author etcd-spring-boot contributors
 */
final class EtcdEndpointAutoSync implements SmartLifecycle {

	static final int MAX_ENDPOINTS = 64;

	private static final Log logger = LogFactory.getLog(EtcdEndpointAutoSync.class);

	private final Client client;

	private final EtcdClusterEndpoints endpoints;

	private final Duration interval;

	private final Duration requestTimeout;

	private final boolean tls;

	private volatile @Nullable ScheduledExecutorService executor;

	/**
	 * The problems of the last run, so that those that repeat every interval are logged
	 * once. Only the sync thread uses it.
	 */
	private List<String> lastProblems = List.of();

	EtcdEndpointAutoSync(Client client, EtcdClusterEndpoints endpoints, Duration interval, Duration requestTimeout,
			boolean tls) {
		this.client = client;
		this.endpoints = endpoints;
		this.interval = interval;
		this.requestTimeout = requestTimeout;
		this.tls = tls;
	}

	@Override
	public synchronized void start() {
		if (this.executor == null) {
			ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "etcd-auto-sync");
				thread.setDaemon(true);
				return thread;
			});
			long millis = this.interval.toMillis();
			executor.scheduleWithFixedDelay(this::sync, millis, millis, TimeUnit.MILLISECONDS);
			this.executor = executor;
		}
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	/**
	 * Read the member list once and hand its client URLs to the client when they changed.
	 * Runs on one thread at a time.
	 */
	void sync() {
		List<String> problems = new ArrayList<>();
		try {
			List<Member> members = EtcdFutures.await(this.client.getClusterClient().listMember(), this.requestTimeout)
				.getMembers();
			List<URI> current = this.endpoints.current();
			List<URI> synced = clientEndpoints(members, problems);
			if (synced.isEmpty()) {
				problems.add("The etcd member list has no usable client URL; keeping the endpoints " + current);
			}
			else if (!Set.copyOf(synced).equals(Set.copyOf(current))) {
				logger.info("The etcd cluster's members changed: endpoints " + current + " are now " + synced);
				this.endpoints.update(synced);
			}
		}
		catch (RuntimeException | Error ex) {
			// Anything, so that the next run still happens.
			logger.debug("Could not read the etcd member list", ex);
			problems.add("Could not refresh the etcd endpoints from the member list ("
					+ EtcdFailure.of(ex).description() + "); keeping " + this.endpoints.current());
		}
		if (!problems.equals(this.lastProblems)) {
			problems.forEach(logger::warn);
		}
		this.lastProblems = problems;
	}

	/**
	 * The endpoints of the members that serve clients.
	 * @param members the member list, as etcd gave it
	 * @param problems receives what was skipped and why
	 * @return the endpoints, without duplicates, at most {@value #MAX_ENDPOINTS}
	 */
	List<URI> clientEndpoints(List<Member> members, List<String> problems) {
		Set<URI> endpoints = new LinkedHashSet<>();
		for (Member member : members) {
			if (!StringUtils.hasLength(member.getName()) || member.isLearner()) {
				continue;
			}
			List<URI> urls;
			try {
				urls = member.getClientURIs();
			}
			catch (IllegalArgumentException ex) {
				problems.add("Skipping etcd member " + describe(member) + ": malformed client URL (" + ex.getMessage()
						+ ")");
				continue;
			}
			for (URI url : urls) {
				if (endpoints.size() == MAX_ENDPOINTS) {
					problems.add("The etcd member list has more than " + MAX_ENDPOINTS
							+ " client URLs; using the first " + MAX_ENDPOINTS);
					return new ArrayList<>(endpoints);
				}
				URI endpoint = usable(url);
				if (endpoint != null) {
					endpoints.add(endpoint);
				}
				else {
					problems.add("Skipping client URL '" + url + "' of etcd member " + describe(member) + ": expected "
							+ (this.tls ? "https" : "http") + "://host:port");
				}
			}
		}
		return new ArrayList<>(endpoints);
	}

	/**
	 * The URL as an endpoint of this client, or {@code null} when the client cannot use
	 * it.
	 */
	private @Nullable URI usable(URI url) {
		String scheme = this.tls ? "https" : "http";
		if (!scheme.equals(url.getScheme()) || url.getHost() == null) {
			return null;
		}
		int port = (url.getPort() != -1) ? url.getPort() : EtcdEndpoints.DEFAULT_PORT;
		return URI.create(scheme + "://" + url.getHost() + ":" + port);
	}

	private static String describe(Member member) {
		return "'" + member.getName() + "' (" + Long.toHexString(member.getId()) + ")";
	}

}
