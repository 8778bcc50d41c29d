package io.github.etcdspring.config;

import io.github.etcdspring.client.EtcdProperties;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.commons.ConfigDataMissingEnvironmentPostProcessor;
import org.springframework.cloud.commons.ConfigDataMissingEnvironmentPostProcessor.ImportException;
import org.springframework.cloud.util.PropertyUtils;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Fails the startup, with an explanation, when an application configures
 * {@code etcd.config.*} but never imports {@code etcd:} in {@code spring.config.import}:
 * its configuration would silently not be read
 * ({@link EtcdConfigImportMissingException}). Applications that use the starter only for
 * discovery set no {@code etcd.config.*} property and are not checked.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdConfigImportCheckEnvironmentPostProcessor extends ConfigDataMissingEnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		try {
			super.postProcessEnvironment(environment, application);
		}
		catch (ImportException ex) {
			throw new EtcdConfigImportMissingException(ex);
		}
	}

	@Override
	protected boolean shouldProcessEnvironment(Environment environment) {
		if (!environment.getProperty(EtcdProperties.PREFIX + ".enabled", Boolean.class, true)
				|| !environment.getProperty(EtcdConfigProperties.PREFIX + ".enabled", Boolean.class, true)
				|| !environment.getProperty(EtcdConfigProperties.PREFIX + ".import-check.enabled", Boolean.class, true)
				|| PropertyUtils.bootstrapEnabled(environment) || PropertyUtils.useLegacyProcessing(environment)) {
			return false;
		}
		return Binder.get(environment)
			.bind(EtcdConfigProperties.PREFIX, Bindable.mapOf(String.class, Object.class))
			.map((settings) -> !settings.isEmpty())
			.orElse(false);
	}

	@Override
	protected String getPrefix() {
		return EtcdConfigContexts.LOCATION_PREFIX;
	}

}
