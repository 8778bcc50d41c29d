package io.github.etcdspring.client;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link EtcdConnectionException} and what to do about it.
 *
 * @author etcd-spring-boot contributors
 */
class EtcdConnectionFailureAnalyzer extends AbstractFailureAnalyzer<EtcdConnectionException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EtcdConnectionException cause) {
		return new FailureAnalysis(cause.getMessage(), action(cause.getFailure()), cause);
	}

	private String action(EtcdFailure failure) {
		return switch (failure) {
			case UNREACHABLE ->
				"""
						Check that etcd is running and reachable at the endpoints above (etcd.endpoints). If it is and this \
						machine is busy, the first connection may take longer than etcd.dial-timeout: raise it. \
						To start a local etcd with the application, set etcd.embedded.enabled=true (needs the etcd binary: \
						'apt-get install etcd-server' on Debian/Ubuntu). To start without etcd and report it in the health \
						endpoint instead, set etcd.fail-fast=false.""";
			case TLS_HANDSHAKE_FAILED ->
				"""
						Check that the SSL bundle named by etcd.ssl.bundle trusts the certificate authority of the etcd \
						server, that the server certificate names the host you connect to (or set etcd.authority), and, for \
						mutual TLS, that the bundle has a key store with a client certificate the server trusts.""";
			case AUTHENTICATION_FAILED -> "Check etcd.username and etcd.password.";
			case PERMISSION_DENIED -> """
					Grant the etcd user a role with read/write permission on the keys under etcd.namespace \
					('etcdctl role grant-permission --prefix=true ...').""";
			case NO_LEADER -> "Wait until the etcd cluster has a quorum again, or restore the lost members.";
			case TOO_LARGE -> "Raise etcd.max-inbound-message-size above the size of the answer named below.";
			case OTHER -> "Check the cause below and the etcd server logs.";
		};
	}

}
