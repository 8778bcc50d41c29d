package io.github.etcdspring.client;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLHandshakeException;

import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EtcdFailureTests {

	@Test
	void wrongCredentials() {
		assertThat(EtcdFailure.of(new ExecutionException(EtcdExceptionFactory.toEtcdException(Status.INVALID_ARGUMENT
			.withDescription("etcdserver: authentication failed, invalid user ID or password")))))
			.isEqualTo(EtcdFailure.AUTHENTICATION_FAILED);
	}

	@Test
	void missingPermission() {
		assertThat(EtcdFailure.of(new CompletionException(EtcdExceptionFactory
			.toEtcdException(Status.PERMISSION_DENIED.withDescription("etcdserver: permission denied")))))
			.isEqualTo(EtcdFailure.PERMISSION_DENIED);
	}

	@Test
	void aWatchRefusedForMissingPermission() {
		assertThat(EtcdFailure.of(EtcdExceptionFactory.toEtcdException(Status.CANCELLED
			.withDescription("rpc error: code = PermissionDenied desc = etcdserver: permission denied"))))
			.isEqualTo(EtcdFailure.PERMISSION_DENIED);
		assertThat(EtcdFailure.of(EtcdExceptionFactory.toEtcdException(Status.CANCELLED.withDescription("closed"))))
			.isEqualTo(EtcdFailure.OTHER);
	}

	@Test
	void lostQuorum() {
		assertThat(EtcdFailure
			.of(EtcdExceptionFactory.toEtcdException(Status.UNAVAILABLE.withDescription("etcdserver: no leader"))))
			.isEqualTo(EtcdFailure.NO_LEADER);
	}

	@Test
	void transportFailuresAreUnreachableWhateverTheirStatus() {
		assertThat(EtcdFailure.of(Status.UNKNOWN.withDescription("channel closed")
			.withCause(new ClosedChannelException())
			.asRuntimeException())).isEqualTo(EtcdFailure.UNREACHABLE);
		assertThat(EtcdFailure.of(Status.DEADLINE_EXCEEDED.asRuntimeException())).isEqualTo(EtcdFailure.UNREACHABLE);
		assertThat(EtcdFailure.of(new TimeoutException())).isEqualTo(EtcdFailure.UNREACHABLE);
	}

	@Test
	void anAnswerLargerThanTheClientAccepts() {
		assertThat(EtcdFailure.of(new CompletionException(EtcdExceptionFactory.toEtcdException(
				Status.RESOURCE_EXHAUSTED.withDescription("gRPC message exceeds maximum size 65536: 100090")))))
			.isEqualTo(EtcdFailure.TOO_LARGE);
		assertThat(EtcdFailure.TOO_LARGE.description()).contains("etcd.max-inbound-message-size");
	}

	@Test
	void tlsFailures() {
		assertThat(EtcdFailure.of(Status.UNAVAILABLE.withCause(new SSLHandshakeException("PKIX path building failed"))
			.asRuntimeException())).isEqualTo(EtcdFailure.TLS_HANDSHAKE_FAILED);
	}

	@Test
	void anythingElse() {
		assertThat(EtcdFailure.of(new IllegalStateException("boom"))).isEqualTo(EtcdFailure.OTHER);
	}

	@Test
	void messageIsTheMostSpecificOne() {
		assertThat(EtcdFailure.messageOf(new ExecutionException(new IllegalStateException("inner"))))
			.isEqualTo("inner");
		assertThat(EtcdFailure.messageOf(new TimeoutException())).isEqualTo(TimeoutException.class.getName());
	}

}
