package io.github.etcdspring.client;

import java.util.concurrent.atomic.AtomicInteger;

import io.etcd.jetcd.Response;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ClusterRestoreCheckTests {

	private static final long CLUSTER = 7;

	private final AtomicInteger linearizableReads = new AtomicInteger();

	@Test
	void aWatchAtOrAfterTheKnownRevisionContinuesWithoutARead() {
		ClusterRestoreCheck check = reading(header(CLUSTER, 1));
		assertThat(check.check(CLUSTER, 100, header(CLUSTER, 100))).isEqualTo(ClusterRestoreCheck.Verdict.CONTINUOUS);
		assertThat(check.check(CLUSTER, 100, header(CLUSTER, 150))).isEqualTo(ClusterRestoreCheck.Verdict.CONTINUOUS);
		assertThat(this.linearizableReads).hasValue(0);
	}

	@Test
	void aWatchBehindTheKnownRevisionIsALaggingMemberWhenTheClusterIsAhead() {
		ClusterRestoreCheck check = reading(header(CLUSTER, 100));
		assertThat(check.check(CLUSTER, 100, header(CLUSTER, 97)))
			.isEqualTo(ClusterRestoreCheck.Verdict.LAGGING_MEMBER);
		assertThat(this.linearizableReads).hasValue(1);
	}

	@Test
	void aRevisionDropThatTheClusterConfirmsIsARestore() {
		ClusterRestoreCheck check = reading(header(CLUSTER, 3));
		assertThat(check.check(CLUSTER, 100, header(CLUSTER, 2))).isEqualTo(ClusterRestoreCheck.Verdict.RESTORED);
	}

	@Test
	void anotherClusterIdIsARestoreWhateverTheRevision() {
		ClusterRestoreCheck check = reading(header(CLUSTER, 500));
		assertThat(check.check(CLUSTER, 100, header(8, 500))).isEqualTo(ClusterRestoreCheck.Verdict.RESTORED);
		assertThat(this.linearizableReads).hasValue(0);
		assertThat(reading(header(8, 500)).check(CLUSTER, 100, header(CLUSTER, 90)))
			.as("confirmed by a member of another cluster")
			.isEqualTo(ClusterRestoreCheck.Verdict.RESTORED);
	}

	@Test
	void anUnknownClusterIdIsNotCompared() {
		assertThat(reading(header(CLUSTER, 1)).check(0, 100, header(8, 100)))
			.isEqualTo(ClusterRestoreCheck.Verdict.CONTINUOUS);
	}

	@Test
	void aFailedConfirmationIsNeitherVerdict() {
		ClusterRestoreCheck check = new ClusterRestoreCheck(() -> {
			throw new IllegalStateException("etcd did not answer");
		});
		assertThatIllegalStateException().isThrownBy(() -> check.check(CLUSTER, 100, header(CLUSTER, 90)))
			.withMessage("etcd did not answer");
	}

	private ClusterRestoreCheck reading(Response.Header header) {
		return new ClusterRestoreCheck(() -> {
			this.linearizableReads.incrementAndGet();
			return header;
		});
	}

	private static Response.Header header(long clusterId, long revision) {
		return new Response.Header() {

			@Override
			public long getClusterId() {
				return clusterId;
			}

			@Override
			public long getMemberId() {
				return 1;
			}

			@Override
			public long getRevision() {
				return revision;
			}

			@Override
			public long getRaftTerm() {
				return 1;
			}

		};
	}

}
