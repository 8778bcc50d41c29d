package io.github.etcdspring.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.cloud.bootstrap.config.BootstrapPropertySource;
import org.springframework.core.env.CompositePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;

/**
 * Finds the etcd property sources of an environment, whether config data added them
 * directly or the bootstrap context wrapped them, and moves them below local
 * configuration when asked to.
 *
 * @author etcd-spring-boot contributors
 */
final class EtcdPropertySources {

	private static final boolean BOOTSTRAP_PRESENT = ClassUtils.isPresent(
			"org.springframework.cloud.bootstrap.config.BootstrapPropertySource",
			EtcdPropertySources.class.getClassLoader());

	private EtcdPropertySources() {
	}

	/**
	 * The etcd property sources, highest precedence first.
	 * @param propertySources the environment's sources
	 * @return the etcd sources
	 */
	static List<EtcdPropertySource> find(MutablePropertySources propertySources) {
		List<EtcdPropertySource> found = new ArrayList<>();
		propertySources.forEach((source) -> collect(source, found));
		return found;
	}

	/**
	 * The etcd property sources, lowest precedence first, as the reader returns them.
	 * @param propertySources the environment's sources
	 * @return the etcd sources
	 */
	static List<EtcdPropertySource> findLowestFirst(MutablePropertySources propertySources) {
		List<EtcdPropertySource> found = find(propertySources);
		Collections.reverse(found);
		return found;
	}

	/**
	 * Move the etcd sources, in their order, just above the default properties, so that
	 * every local source wins.
	 * @param propertySources the environment's sources
	 */
	static void moveBelowLocalConfiguration(MutablePropertySources propertySources) {
		List<PropertySource<?>> etcdSources = new ArrayList<>();
		for (PropertySource<?> source : propertySources) {
			if (holdsEtcdConfiguration(source)) {
				etcdSources.add(source);
			}
		}
		for (PropertySource<?> source : etcdSources) {
			propertySources.remove(source.getName());
			if (propertySources.contains(DefaultPropertiesPropertySource.NAME)) {
				propertySources.addBefore(DefaultPropertiesPropertySource.NAME, source);
			}
			else {
				propertySources.addLast(source);
			}
		}
	}

	private static boolean holdsEtcdConfiguration(PropertySource<?> source) {
		List<EtcdPropertySource> found = new ArrayList<>();
		collect(source, found);
		return !found.isEmpty();
	}

	private static void collect(PropertySource<?> source, List<EtcdPropertySource> found) {
		if (source instanceof EtcdPropertySource etcdSource) {
			found.add(etcdSource);
		}
		else if (source instanceof CompositePropertySource composite) {
			composite.getPropertySources().forEach((nested) -> collect(nested, found));
		}
		else if (BOOTSTRAP_PRESENT && source instanceof BootstrapPropertySource<?> bootstrapSource) {
			collect(bootstrapSource.getDelegate(), found);
		}
	}

}
