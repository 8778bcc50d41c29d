package io.github.etcdspring.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.util.StringUtils;

/**
 * Finds out whether an unreachable TLS cluster is really a TLS problem. gRPC keeps
 * waiting for a connection that fails its handshake, so a call only ever reports a
 * timeout; a direct handshake with the same SSL bundle tells an untrusted certificate
 * from a dead server.
 *
 * @author etcd-spring-boot contributors
 */
final class TlsHandshakeProbe {

	private static final Duration POST_HANDSHAKE_ALERT_WAIT = Duration.ofSeconds(1);

	private TlsHandshakeProbe() {
	}

	/**
	 * Attempt a TLS handshake with each endpoint.
	 * @param connectionDetails the endpoints and the SSL bundle
	 * @param authority the authority whose name the server certificate must carry, or
	 * {@code null} for the endpoint's host
	 * @param timeout the connect and read timeout for each endpoint
	 * @return the first handshake failure, empty when there is no bundle, every handshake
	 * succeeded or no endpoint could be reached at all
	 */
	static Optional<SSLException> findHandshakeFailure(EtcdConnectionDetails connectionDetails,
			@Nullable String authority, Duration timeout) {
		SslBundle bundle = connectionDetails.getSslBundle();
		if (bundle == null) {
			return Optional.empty();
		}
		for (URI endpoint : connectionDetails.getEndpoints()) {
			try (Socket plain = new Socket()) {
				plain.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), (int) timeout.toMillis());
				plain.setSoTimeout((int) timeout.toMillis());
				String verifiedHost = StringUtils.hasText(authority) ? URI.create("//" + authority).getHost()
						: endpoint.getHost();
				try (SSLSocket socket = (SSLSocket) bundle.createSslContext()
					.getSocketFactory()
					.createSocket(plain, verifiedHost, endpoint.getPort(), false)) {
					SSLParameters parameters = socket.getSSLParameters();
					parameters.setEndpointIdentificationAlgorithm("HTTPS");
					parameters.setApplicationProtocols(new String[] { "h2" });
					socket.setSSLParameters(parameters);
					socket.startHandshake();
					// With TLS 1.3 a server that wants a client certificate says so only
					// after the handshake.
					socket.setSoTimeout((int) Math.min(timeout.toMillis(), POST_HANDSHAKE_ALERT_WAIT.toMillis()));
					socket.getInputStream().read();
				}
			}
			catch (SSLException ex) {
				return Optional.of(ex);
			}
			catch (IOException ex) {
				// Not reachable at all: not a TLS problem, try the next endpoint.
			}
		}
		return Optional.empty();
	}

}
