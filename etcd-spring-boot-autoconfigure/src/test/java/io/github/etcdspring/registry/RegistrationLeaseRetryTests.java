package io.github.etcdspring.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.etcdspring.client.FixedJitter;
import io.github.etcdspring.test.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

/**
 * The registration's retries in scheduler time, against an etcd endpoint where nothing
 * listens (a real client, no mock): every attempt fails within the request timeout, and
 * the test advances the scheduler from one attempt to the next. What a working etcd does
 * is the real-etcd tests' concern (EtcdServiceRegistryFaultTests).
 */
class RegistrationLeaseRetryTests {

	private static final ByteSequence KEY = ByteSequence.from("/services/app/1", StandardCharsets.UTF_8);

	private final ManualScheduler scheduler = new ManualScheduler();

	private final EtcdServiceProperties.Retry retry = new EtcdServiceProperties.Retry();

	private final List<Object> events = new ArrayList<>();

	private Client client;

	private RegistrationLease lease;

	@BeforeEach
	void nothingListens() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		this.client = Client.builder().endpoints("http://127.0.0.1:" + port).build();
		this.retry.setMaxAttempts(3);
		this.lease = new RegistrationLease(this.client, Duration.ofSeconds(5), this.retry,
				FixedJitter.backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 0.0), Duration.ofMillis(50),
				this.events::add, this, new RegistryThread(this.scheduler));
	}

	@AfterEach
	void close() {
		this.lease.close(false);
		this.client.close();
	}

	@Test
	void aRegistrationThatCannotBeWrittenIsRetriedWithBackoffUntilTheAttemptsRunOut() {
		assertThatRuntimeException().isThrownBy(() -> this.lease.put(() -> Map.of(LeasedKey.fixed(KEY), KEY)));
		assertThat(this.lease.state()).isEqualTo(RegistrationState.RESTORING);
		assertThat(this.lease.lastFailure()).isNotNull();
		assertThat(this.scheduler.pendingDelaysMillis()).as("second attempt after the first delay")
			.containsExactly(50L);
		this.scheduler.advance(Duration.ofMillis(50));
		assertThat(this.lease.state()).isEqualTo(RegistrationState.RESTORING);
		assertThat(this.scheduler.pendingDelaysMillis()).as("third attempt after twice the delay")
			.containsExactly(100L);
		this.scheduler.advance(Duration.ofMillis(100));
		assertThat(this.lease.state()).as("service.retry.max-attempts=3 ran out").isEqualTo(RegistrationState.FAILED);
		assertThat(this.scheduler.pendingDelaysMillis()).as("no more attempts").isEmpty();
		assertThat(this.events).as("never registered, so nothing lost or restored").isEmpty();
	}

	@Test
	void aNewRegistrationAfterTheAttemptsRanOutStartsOver() {
		assertThatRuntimeException().isThrownBy(() -> this.lease.put(() -> Map.of(LeasedKey.fixed(KEY), KEY)));
		this.scheduler.advance(Duration.ofSeconds(1));
		assertThat(this.lease.state()).isEqualTo(RegistrationState.FAILED);
		assertThatRuntimeException().isThrownBy(() -> this.lease.put(() -> Map.of(LeasedKey.fixed(KEY), KEY)));
		assertThat(this.lease.state()).isEqualTo(RegistrationState.RESTORING);
		assertThat(this.scheduler.pendingDelaysMillis()).as("the first delay again").containsExactly(50L);
	}

}
