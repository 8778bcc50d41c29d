package io.github.etcdspring.leader;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.etcd.jetcd.ByteSequence;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code etcd.leader.changes} meter, against leaderships granted, resigned and lost
 * on a real etcd.
 */
class LeaderMeterTests {

	private static final Duration BOUND = Duration.ofSeconds(20);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private ConfigurableApplicationContext app;

	@AfterEach
	void close() {
		this.app.close();
	}

	@Test
	void eachTermGrantedAndEachTermResignedOrLostIsCounted() {
		this.app = LeaderTestApplication.start(etcd, "a");
		this.app.getBean(LeaderMeterBinder.class).bindTo(this.meters);
		EtcdLeaderInitiator initiator = this.app.getBean(EtcdLeaderInitiator.class);
		await().atMost(BOUND).until(() -> changes("granted") == 1);
		assertThat(changes("revoked")).isZero();
		// resigned: the application campaigns again and, alone, leads again
		initiator.yieldLeadership();
		await().atMost(BOUND).until(() -> changes("granted") == 2);
		assertThat(changes("revoked")).isOne();
		// lost: its key deleted by someone else
		String key = initiator.getLeadership().orElseThrow().key();
		EtcdKeys.await(etcd.client().getKVClient().delete(ByteSequence.from(key, StandardCharsets.UTF_8)));
		await().atMost(BOUND).until(() -> changes("granted") == 3);
		assertThat(changes("revoked")).isEqualTo(2);
	}

	private double changes(String change) {
		return this.meters.get("etcd.leader.changes").tag("change", change).functionCounter().count();
	}

}
