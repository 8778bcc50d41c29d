package io.github.etcdspring.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.etcd.jetcd.cluster.Member;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@link EtcdEndpointAutoSync} reads a member list, which is untrusted input.
 */
class EtcdEndpointAutoSyncMemberListTests {

	private final List<String> problems = new ArrayList<>();

	@Test
	void membersNotStartedAndLearnersAreLeftOut() {
		List<URI> endpoints = plainText().clientEndpoints(List.of(member(1, "a", "http://127.0.0.1:2379"),
				member(2, "", "http://127.0.0.1:2380"), learner(3, "c", "http://127.0.0.1:2381")), this.problems);
		assertThat(endpoints).containsExactly(URI.create("http://127.0.0.1:2379"));
		assertThat(this.problems).isEmpty();
	}

	@Test
	void urlsTheClientCannotUseAreSkippedNamingTheMember() {
		List<URI> endpoints = tls().clientEndpoints(
				List.of(member(0xab, "plain", "http://127.0.0.1:2379"),
						member(0xcd, "secure", "https://127.0.0.1:2380", "https://127.0.0.1:2380", "https://[::1]")),
				this.problems);
		assertThat(endpoints).containsExactly(URI.create("https://127.0.0.1:2380"), URI.create("https://[::1]:2379"));
		assertThat(this.problems).singleElement()
			.asString()
			.contains("'http://127.0.0.1:2379'")
			.contains("'plain' (ab)")
			.contains("expected https://host:port");
	}

	@Test
	void malformedUrlSkipsItsMember() {
		List<URI> endpoints = plainText().clientEndpoints(
				List.of(member(1, "broken", "http://[bad"), member(2, "good", "http://127.0.0.1:2379")), this.problems);
		assertThat(endpoints).containsExactly(URI.create("http://127.0.0.1:2379"));
		assertThat(this.problems).singleElement().asString().contains("'broken' (1)").contains("malformed");
	}

	@Test
	void endpointsAreBounded() {
		List<Member> members = IntStream.range(0, EtcdEndpointAutoSync.MAX_ENDPOINTS + 10)
			.mapToObj((i) -> member(i + 1, "m" + i, "http://127.0.0.1:" + (10000 + i)))
			.toList();
		assertThat(plainText().clientEndpoints(members, this.problems)).hasSize(EtcdEndpointAutoSync.MAX_ENDPOINTS);
		assertThat(this.problems).singleElement()
			.asString()
			.contains("more than " + EtcdEndpointAutoSync.MAX_ENDPOINTS);
	}

	private static EtcdEndpointAutoSync plainText() {
		return new EtcdEndpointAutoSync(null, null, Duration.ofSeconds(1), Duration.ofSeconds(1), false);
	}

	private static EtcdEndpointAutoSync tls() {
		return new EtcdEndpointAutoSync(null, null, Duration.ofSeconds(1), Duration.ofSeconds(1), true);
	}

	private static Member member(long id, String name, String... clientUrls) {
		return new Member(io.etcd.jetcd.api.Member.newBuilder()
			.setID(id)
			.setName(name)
			.addAllClientURLs(List.of(clientUrls))
			.build());
	}

	private static Member learner(long id, String name, String... clientUrls) {
		return new Member(io.etcd.jetcd.api.Member.newBuilder()
			.setID(id)
			.setName(name)
			.setIsLearner(true)
			.addAllClientURLs(List.of(clientUrls))
			.build());
	}

}
