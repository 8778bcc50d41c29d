package io.github.etcdspring.client;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import org.jspecify.annotations.Nullable;

/**
 * A failed attempt to use the cluster, classified and described for an operator.
 *
 * @param failure the classification
 * @param detail what went wrong, in one line
 * @param cause the underlying exception
 * @author etcd-spring-boot contributors
 */
record ConnectionFailure(EtcdFailure failure, String detail, Throwable cause) {

	/**
	 * Classify the failure of a call that waited at most {@code timeout}.
	 * @param exception the failure, unwrapped from its future
	 * @param timeout how long the call waited
	 * @param timeoutProperty the property that set the timeout, to name in the detail
	 * @return the classification
	 */
	static ConnectionFailure of(Throwable exception, Duration timeout, String timeoutProperty) {
		String detail = EtcdFailure.messageOf(exception);
		if (exception instanceof TimeoutException) {
			detail = (exception.getMessage() != null) ? exception.getMessage()
					: "no answer within " + timeoutProperty + "=" + timeout;
		}
		return new ConnectionFailure(EtcdFailure.of(exception), detail, exception);
	}

	/**
	 * Classify the failure like {@link #of}, and when the cluster looks unreachable over
	 * TLS, tell a TLS problem apart with a direct handshake. That takes up to one more
	 * timeout per endpoint, which startup can afford.
	 * @param exception the failure, unwrapped from its future
	 * @param connectionDetails how the cluster was reached
	 * @param authority the authority the client verifies certificates against, or
	 * {@code null} for the endpoints' hosts
	 * @param timeout how long the call waited
	 * @param timeoutProperty the property that set the timeout, to name in the detail
	 * @return the diagnosis
	 */
	static ConnectionFailure diagnose(Throwable exception, EtcdConnectionDetails connectionDetails,
			@Nullable String authority, Duration timeout, String timeoutProperty) {
		ConnectionFailure failure = of(exception, timeout, timeoutProperty);
		if (failure.failure() == EtcdFailure.UNREACHABLE) {
			Optional<SSLException> handshakeFailure = TlsHandshakeProbe.findHandshakeFailure(connectionDetails,
					authority, timeout);
			if (handshakeFailure.isPresent()) {
				return new ConnectionFailure(EtcdFailure.TLS_HANDSHAKE_FAILED,
						EtcdFailure.messageOf(handshakeFailure.get()), handshakeFailure.get());
			}
		}
		return failure;
	}

}
