package io.github.etcdspring.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.cloud.endpoint.event.RefreshEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * How the watcher refreshes the application, in the
 * {@code etcd.config.watch.refresh-mode} and, in both modes, publishes the
 * {@link EtcdConfigChange} once the refresh is done.
 * <p>
 * {@code full}: a {@link RefreshEvent}, for Spring Cloud's {@code ContextRefresher} to
 * load every config data source of the application again (reading etcd again).
 * <p>
 * {@code in-place}: it updates the etcd property sources of the environment from the
 * watcher's own read, then publishes what Spring Cloud's
 * {@code ContextRefresher.refresh()} publishes after loading the configuration again: an
 * {@link EnvironmentChangeEvent} naming the properties whose value in the environment
 * changed (which rebinds {@code @ConfigurationProperties} beans), then
 * {@link RefreshScope#refreshAll()} (which recreates {@code @RefreshScope} beans on their
 * next use and publishes {@code RefreshScopeRefreshedEvent}). Only the etcd sources are
 * touched, so its cost does not grow with the rest of the environment, and placeholders
 * elsewhere that point at etcd values are resolved anew by the beans recreated or
 * rebound.
 *
 * @author etcd-spring-boot contributors
 */
final class ConfigRefresh {

	/**
	 * The sources {@code ContextRefresher} leaves out when it lists the properties that
	 * changed.
	 */
	private static final Set<String> STANDARD_SOURCES = Set.of(
			StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
			StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, "jndiProperties", "servletConfigInitParams",
			"servletContextInitParams", "configurationProperties");

	private final boolean full;

	private final ConfigurableEnvironment environment;

	private final ApplicationContext applicationContext;

	private final ObjectProvider<RefreshScope> refreshScope;

	ConfigRefresh(EtcdConfigProperties.RefreshMode mode, ConfigurableEnvironment environment,
			ApplicationContext applicationContext, ObjectProvider<RefreshScope> refreshScope) {
		this.full = mode == EtcdConfigProperties.RefreshMode.FULL;
		this.environment = environment;
		this.applicationContext = applicationContext;
		this.refreshScope = refreshScope;
	}

	/**
	 * Whether the refresh reads etcd again, rather than apply the watcher's read.
	 * @return {@code true} in {@code full} mode
	 */
	boolean readsAgain() {
		return this.full;
	}

	/**
	 * Refresh the application, then publish the change.
	 * @param watcher the source of the {@link RefreshEvent}
	 * @param change what changed
	 * @param inForce the etcd sources of the environment
	 * @param read the sources the watcher read, one per context
	 */
	void apply(Object watcher, EtcdConfigChange change, List<EtcdPropertySource> inForce,
			List<EtcdPropertySource> read) {
		if (this.full) {
			this.applicationContext.publishEvent(new RefreshEvent(watcher, change, change.toString()));
		}
		else {
			inPlace(inForce, read, change.changedProperties());
		}
		this.applicationContext.publishEvent(change);
	}

	/**
	 * Under the lock of {@code ContextRefresher}, whose refresh (such as
	 * {@code /actuator/refresh}) replaces the property sources meanwhile.
	 */
	private void inPlace(List<EtcdPropertySource> inForce, List<EtcdPropertySource> read,
			Set<String> changedProperties) {
		ContextRefresher refresher = this.applicationContext.getBeanProvider(ContextRefresher.class).getIfUnique();
		synchronized ((refresher != null) ? refresher : this) {
			updateAndPublish(inForce, read, changedProperties);
		}
	}

	private void updateAndPublish(List<EtcdPropertySource> inForce, List<EtcdPropertySource> read,
			Set<String> changedProperties) {
		Map<String, @Nullable Object> before = values(changedProperties);
		for (EtcdPropertySource source : inForce) {
			read.stream()
				.filter((newer) -> newer.getContext().equals(source.getContext()))
				.findFirst()
				.ifPresent(source::update);
		}
		Map<String, @Nullable Object> after = values(changedProperties);
		Set<String> keys = new TreeSet<>();
		changedProperties.stream()
			.filter((name) -> !Objects.equals(before.get(name), after.get(name)))
			.forEach(keys::add);
		this.applicationContext.publishEvent(new EnvironmentChangeEvent(this.applicationContext, keys));
		RefreshScope scope = this.refreshScope.getIfAvailable();
		if (scope != null) {
			scope.refreshAll();
		}
	}

	/**
	 * The raw values of properties in the environment, as {@code ContextRefresher}
	 * compares them: from the highest source that defines them, standard sources left
	 * out.
	 */
	private Map<String, @Nullable Object> values(Set<String> names) {
		Map<String, @Nullable Object> values = new HashMap<>();
		for (String name : names) {
			for (PropertySource<?> source : this.environment.getPropertySources()) {
				if (!STANDARD_SOURCES.contains(source.getName()) && source instanceof EnumerablePropertySource<?>
						&& source.containsProperty(name)) {
					values.put(name, source.getProperty(name));
					break;
				}
			}
		}
		return values;
	}

}
