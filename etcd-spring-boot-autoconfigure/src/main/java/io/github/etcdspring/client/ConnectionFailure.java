package io.github.etcdspring.client;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

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
	 * Classify the failure of a call that waited at most {@code timeout}, telling TLS problems apart from
	 * unreachable servers.
	 * @param exception the failure, unwrapped from its future
	 * @param connectionDetails how the cluster was reached
	 * @param timeout how long the call waited
	 * @param timeoutProperty the property that set the timeout, to name in the detail
	 * @return the diagnosis
	 */
	static ConnectionFailure diagnose(Throwable exception, EtcdConnectionDetails connectionDetails, Duration timeout,
			String timeoutProperty) {
		EtcdFailure failure = EtcdFailure.of(exception);
		if (failure == EtcdFailure.UNREACHABLE) {
			Optional<SSLException> handshakeFailure = TlsHandshakeProbe.findHandshakeFailure(connectionDetails,
					timeout);
			if (handshakeFailure.isPresent()) {
				return new ConnectionFailure(EtcdFailure.TLS_HANDSHAKE_FAILED,
						EtcdFailure.messageOf(handshakeFailure.get()), handshakeFailure.get());
			}
		}
		String detail = (exception instanceof TimeoutException)
				? "no answer within " + timeoutProperty + "=" + timeout : EtcdFailure.messageOf(exception);
		return new ConnectionFailure(failure, detail, exception);
	}

}
