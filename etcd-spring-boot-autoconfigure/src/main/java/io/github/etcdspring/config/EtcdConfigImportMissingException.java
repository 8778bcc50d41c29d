package io.github.etcdspring.config;

import org.springframework.cloud.commons.ConfigDataMissingEnvironmentPostProcessor.ImportException;

/**
 * Thrown when an application configures {@code etcd.config.*} but does not import
 * {@code etcd:}. It wraps Spring Cloud's {@link ImportException}, which every Spring
 * Cloud configuration integration shares, so that only this check's failures are
 * explained as etcd's.
 *
 * @author etcd-spring-boot contributors
 * @see EtcdConfigImportCheckEnvironmentPostProcessor
 */
public class EtcdConfigImportMissingException extends RuntimeException {

	private final boolean missingPrefix;

	EtcdConfigImportMissingException(ImportException cause) {
		super(cause.getMessage(), cause);
		this.missingPrefix = cause.missingPrefix;
	}

	/**
	 * Whether {@code spring.config.import} is set, without an {@code etcd:} entry.
	 * @return {@code true} when imports are set but none is etcd's, {@code false} when
	 * none is set
	 */
	public boolean isMissingPrefix() {
		return this.missingPrefix;
	}

}
