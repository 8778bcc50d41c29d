package io.github.etcdspring.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains why configuration could not be read from etcd at startup, and the ways to
 * start anyway.
 *
 * @author etcd-spring-boot contributors
 */
class EtcdConfigDataFailureAnalyzer extends AbstractFailureAnalyzer<EtcdConfigDataException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EtcdConfigDataException cause) {
		String remedy = switch (cause.getFailure()) {
			case UNREACHABLE -> "Check that etcd is running and reachable at " + cause.getEndpoints()
					+ " (etcd.endpoints); on a busy machine the first connection may need a longer etcd.dial-timeout.";
			case TLS_HANDSHAKE_FAILED -> "Check that the SSL bundle named by etcd.ssl.bundle trusts the etcd server.";
			case AUTHENTICATION_FAILED -> "Check etcd.username and etcd.password.";
			case PERMISSION_DENIED -> "Grant the etcd user read permission on the contexts, for instance "
					+ "'etcdctl role grant-permission <role> read --prefix=true config/', or point etcd.config.prefix "
					+ "at keys it may read.";
			case NO_LEADER -> "Wait until the etcd cluster has a quorum again.";
			case TOO_LARGE -> "Raise etcd.max-inbound-message-size above the size of the answer named below.";
			case OTHER -> "Check the cause below and the etcd server logs.";
		};
		return new FailureAnalysis(cause.getMessage(),
				remedy + " To start without this configuration and pick it up "
						+ "once etcd answers, import it as optional (spring.config.import=optional:etcd:) or set "
						+ "etcd.config.fail-fast=false.",
				cause);
	}

}
