package io.github.etcdspring.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.cloud.commons.ConfigDataMissingEnvironmentPostProcessor.ImportException;

/**
 * Explains a missing {@code etcd:} entry in {@code spring.config.import}.
 *
 * @author etcd-spring-boot contributors
 * @see EtcdConfigImportCheckEnvironmentPostProcessor
 */
class EtcdConfigImportFailureAnalyzer extends AbstractFailureAnalyzer<ImportException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ImportException cause) {
		String description = cause.missingPrefix
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
