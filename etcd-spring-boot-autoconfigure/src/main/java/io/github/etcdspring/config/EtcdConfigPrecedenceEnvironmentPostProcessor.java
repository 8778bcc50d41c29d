package io.github.etcdspring.config;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Applies {@code etcd.config.override-local=false}: config data places an import above
 * the file that declares it, so the etcd sources are moved below all local configuration
 * once config data is processed. Runs again on every refresh, which re-processes config
 * data.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdConfigPrecedenceEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * Right after config data.
	 */
	public static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 1;

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty(EtcdConfigProperties.PREFIX + ".override-local", Boolean.class, true)) {
			EtcdPropertySources.moveBelowLocalConfiguration(environment.getPropertySources());
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
