package io.github.etcdspring.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a missing {@code etcd:} entry in {@code spring.config.import}; the same
 * failure of another Spring Cloud integration is left to its own analyzer.
 *
 * @author etcd-spring-boot contributors
 * @see EtcdConfigImportCheckEnvironmentPostProcessor
 */
class EtcdConfigImportFailureAnalyzer extends AbstractFailureAnalyzer<EtcdConfigImportMissingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EtcdConfigImportMissingException cause) {
		String description = cause.isMissingPrefix()
				? "spring.config.import has no 'etcd:' entry, so the configuration in etcd is not read although etcd.config.* is set."
				: "No spring.config.import property has been defined, so the configuration in etcd is not read although etcd.config.* is set.";
		return new FailureAnalysis(description,
				"""
						Add spring.config.import=etcd: to application.yaml (optional:etcd: to start when etcd is down; \
						etcd:/config/shared;/config/payments to name the contexts). To use the bootstrap context instead, \
						add spring-cloud-starter-bootstrap or set spring.cloud.bootstrap.enabled=true. If the application \
						does not read configuration from etcd, set etcd.config.enabled=false, or etcd.config.import-check.enabled=false \
						to skip this check.""",
				cause);
	}

}
