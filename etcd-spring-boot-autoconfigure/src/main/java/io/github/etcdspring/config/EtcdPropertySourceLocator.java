package io.github.etcdspring.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.bootstrap.config.PropertySourceLocator;
import org.springframework.core.env.CompositePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Loads the automatic contexts for applications that use the bootstrap context
 * ({@code spring-cloud-starter-bootstrap} or {@code spring.cloud.bootstrap.enabled=true}), with the same settings
 * and into the same property sources as an {@code etcd:} import. The bootstrap context is rebuilt on every refresh,
 * so each call reads with a client of its own and closes it.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdPropertySourceLocator implements PropertySourceLocator {

	private static final Log logger = LogFactory.getLog(EtcdPropertySourceLocator.class);

	@Override
	public PropertySource<?> locate(Environment environment) {
		Binder binder = Binder.get(environment);
		EtcdConfigProperties properties = binder.bind(EtcdConfigProperties.PREFIX, EtcdConfigProperties.class)
			.orElseGet(EtcdConfigProperties::new);
		List<EtcdConfigContext> contexts = EtcdConfigContexts.automatic(properties,
				environment.getProperty("spring.application.name"), Arrays.asList(environment.getActiveProfiles()));
		try (EtcdConfigDataClient client = EtcdConfigDataClient.create(binder, null)) {
			List<EtcdPropertySource> sources = new ArrayList<>(
					client.load(contexts, false, properties.isFailFast(), logger));
			// a composite's first source wins
			CompositePropertySource composite = new CompositePropertySource("etcd");
			for (int i = sources.size() - 1; i >= 0; i--) {
				composite.addPropertySource(sources.get(i));
			}
			return composite;
		}
	}

}
