package io.github.etcdspring.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a configuration document in etcd that could not be parsed at startup.
 *
 * @author etcd-spring-boot contributors
 */
class MalformedConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<MalformedConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MalformedConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Fix the document in etcd key '" + cause.getKey() + "' (etcdctl get " + cause.getKey()
						+ "), or import it as optional (spring.config.import=optional:etcd:) " + "to start without it.",
				cause);
	}

}
