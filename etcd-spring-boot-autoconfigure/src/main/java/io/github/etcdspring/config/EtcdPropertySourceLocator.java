package io.github.etcdspring.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.bootstrap.config.PropertySourceLocator;
import org.springframework.core.env.CompositePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Loads the automatic contexts for applications that use the bootstrap context
 * ({@code spring-cloud-starter-bootstrap} or
 * {@code spring.cloud.bootstrap.enabled=true}), with the same settings and into the same
 * property sources as an {@code etcd:} import. The bootstrap context is rebuilt on every
 * refresh, so each call reads with a client of its own and closes it. A refresh that
 * cannot read the contexts, or finds a malformed document, locates nothing, so that the
 * sources in force stay.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdPropertySourceLocator implements PropertySourceLocator {

	private static final Log logger = LogFactory.getLog(EtcdPropertySourceLocator.class);

	/**
	 * The property source Spring Cloud's {@code LegacyContextRefresher} adds to the
	 * environment of a refresh.
	 */
	private static final String REFRESH_ARGUMENTS = "refreshArgs";

	@Override
	public PropertySource<?> locate(Environment environment) {
		Binder binder = Binder.get(environment);
		EtcdConfigProperties properties = binder.bind(EtcdConfigProperties.PREFIX, EtcdConfigProperties.class)
			.orElseGet(EtcdConfigProperties::new);
		List<EtcdConfigContext> contexts = EtcdConfigContexts.automatic(properties,
				environment.getProperty("spring.application.name"), Arrays.asList(environment.getActiveProfiles()));
		boolean refresh = environment instanceof ConfigurableEnvironment configurable
				&& configurable.getPropertySources().contains(REFRESH_ARGUMENTS);
		try (EtcdConfigDataClient client = EtcdConfigDataClient.create(binder, null, ObservationRegistry.NOOP)) {
			if (refresh) {
				client.startupCompleted();
			}
			List<EtcdPropertySource> sources = new ArrayList<>(
					client.load(contexts, false, properties.isFailFast(), logger));
			// a composite's first source wins
			CompositePropertySource composite = new CompositePropertySource("etcd");
			if (refresh && sources.stream().noneMatch(EtcdPropertySource::isLoaded)) {
				return composite; // adds nothing: the sources in force stay
			}
			for (int i = sources.size() - 1; i >= 0; i--) {
				composite.addPropertySource(sources.get(i));
			}
			return composite;
		}
	}

}
