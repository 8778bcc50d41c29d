package io.github.etcdspring.discovery;

import java.time.Duration;
import java.util.List;

import io.etcd.jetcd.Client;
import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.github.etcdspring.discovery.CatalogFixture.instance;
import static io.github.etcdspring.discovery.CatalogFixture.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The catalog on a three-member cluster, where jetcd spreads calls over the members.
 */
@ExtendWith(OutputCaptureExtension.class)
class EtcdServiceCatalogClusterTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.threeMembers();

	/**
	 * A watch created on a follower that has not applied the revision just read reports
	 * an older revision. The created-notify response is rewritten to say so (a real lag
	 * lasts milliseconds and cannot be provoked on demand); the linearizable read that
	 * confirms the drop goes to the real cluster.
	 */
	@Test
	void aWatchOnALaggingMemberIsKeptWithoutAReload(CapturedOutput output) {
		WatchTap tap = new WatchTap();
		try (Client writer = etcd.newClient()) {
			for (int i = 0; i < 5; i++) {
				register(writer, instance("payments", "i" + i, 8000 + i, "UP"));
			}
			tap.lagNextCreatedWatch(3);
			try (CatalogFixture fixture = new CatalogFixture(tap.wrap(etcd.newClient()), false, Duration.ofMillis(200))
				.start()) {
				List<String> events = fixture.recordEvents();
				register(writer, instance("payments", "later", 9000, "UP"));
				await().atMost(BOUND).until(() -> !events.isEmpty());
				assertThat(events).containsExactly("ADDED later");
				assertThat(tap.started).as("watches started: no reload").hasValue(1);
				assertThat(output).doesNotContain("went back");
			}
		}
	}

}
