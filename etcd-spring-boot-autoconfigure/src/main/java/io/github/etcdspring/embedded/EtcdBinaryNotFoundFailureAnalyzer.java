package io.github.etcdspring.embedded;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says how to install etcd when the local etcd cannot be started for want of a binary.
 *
 * @author etcd-spring-boot contributors
 */
class EtcdBinaryNotFoundFailureAnalyzer extends AbstractFailureAnalyzer<EtcdBinaryNotFoundException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EtcdBinaryNotFoundException cause) {
		String description = (cause.getLocation() != null)
				? "etcd.embedded.enabled is true but etcd.embedded.binary=" + cause.getLocation()
						+ " is not an executable file."
				: "etcd.embedded.enabled is true but no etcd binary was found on the PATH.";
		return new FailureAnalysis(description, EtcdBinaryNotFoundException.INSTALL_HINT, cause);
	}

}
