package io.github.etcdspring.config;

import java.util.List;

import io.github.etcdspring.client.EtcdProperties;
import io.github.etcdspring.embedded.EmbeddedEtcd;
import io.github.etcdspring.embedded.EmbeddedEtcdProperties;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.bootstrap.BootstrapContextClosedEvent;
import org.springframework.boot.bootstrap.BootstrapRegistry.InstanceSupplier;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.boot.context.config.ConfigDataLocation;
import org.springframework.boot.context.config.ConfigDataLocationResolver;
import org.springframework.boot.context.config.ConfigDataLocationResolverContext;
import org.springframework.boot.context.config.Profiles;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * Resolves {@code etcd:} imports of {@code spring.config.import} into the contexts to
 * read: those listed after the prefix ({@code etcd:/config/shared;/config/payments}), or
 * the automatic contexts for the application's name and active profiles.
 * <p>
 * The client that reads them, and the local etcd when {@code etcd.embedded.enabled} is
 * set, are kept in the bootstrap context, so that the reads of a later refresh reuse
 * them, and become beans of the application context when it is created, so that they are
 * closed with it. An {@link ObservationRegistry} registered in the bootstrap context
 * ({@code SpringApplication.addBootstrapRegistryInitializer}) observes the reads at
 * startup.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdConfigDataLocationResolver implements ConfigDataLocationResolver<EtcdConfigDataResource> {

	@Override
	public boolean isResolvable(ConfigDataLocationResolverContext context, ConfigDataLocation location) {
		return location.hasPrefix(EtcdConfigContexts.LOCATION_PREFIX);
	}

	/**
	 * Nothing before the profiles are known: the automatic contexts depend on them.
	 */
	@Override
	public List<EtcdConfigDataResource> resolve(ConfigDataLocationResolverContext context,
			ConfigDataLocation location) {
		return List.of();
	}

	@Override
	public List<EtcdConfigDataResource> resolveProfileSpecific(ConfigDataLocationResolverContext context,
			ConfigDataLocation location, Profiles profiles) {
		Binder binder = context.getBinder();
		EtcdConfigProperties properties = binder.bind(EtcdConfigProperties.PREFIX, EtcdConfigProperties.class)
			.orElseGet(EtcdConfigProperties::new);
		if (!properties.isEnabled() || !binder.bind(EtcdProperties.PREFIX + ".enabled", Boolean.class).orElse(true)) {
			// Switched off: an import that loads nothing, so that a required 'etcd:' does
			// not fail as a location that cannot be found.
			return List.of(new EtcdConfigDataResource(List.of(), location.isOptional(), properties));
		}
		List<EtcdConfigContext> contexts = EtcdConfigContexts.explicit(location.getValue(), properties);
		if (contexts.isEmpty()) {
			String applicationName = binder.bind("spring.application.name", String.class).orElse(null);
			contexts = EtcdConfigContexts.automatic(properties, applicationName, profiles.getActive());
		}
		registerClient(context.getBootstrapContext(), binder);
		return List.of(new EtcdConfigDataResource(contexts, location.isOptional(), properties));
	}

	private void registerClient(ConfigurableBootstrapContext bootstrapContext, Binder binder) {
		if (bootstrapContext.isRegistered(EtcdConfigDataClient.class)) {
			return;
		}
		EmbeddedEtcdProperties embedded = binder.bind(EmbeddedEtcdProperties.PREFIX, EmbeddedEtcdProperties.class)
			.orElseGet(EmbeddedEtcdProperties::new);
		if (embedded.isEnabled()) {
			bootstrapContext.registerIfAbsent(EmbeddedEtcd.class,
					InstanceSupplier.from(() -> new EmbeddedEtcd(embedded)));
		}
		bootstrapContext.registerIfAbsent(EtcdConfigDataClient.class,
				(bootstrap) -> EtcdConfigDataClient.create(binder,
						embedded.isEnabled() ? bootstrap.get(EmbeddedEtcd.class) : null,
						bootstrap.isRegistered(ObservationRegistry.class) ? bootstrap.get(ObservationRegistry.class)
								: ObservationRegistry.NOOP));
		bootstrapContext.addCloseListener(EtcdConfigDataLocationResolver::promoteToApplicationContext);
	}

	/**
	 * Hand the local etcd and the client over to the application context, which stops and
	 * closes them on shutdown; the local etcd also serves the application's own client
	 * from there.
	 */
	private static void promoteToApplicationContext(BootstrapContextClosedEvent event) {
		DefaultListableBeanFactory beanFactory = (DefaultListableBeanFactory) event.getApplicationContext()
			.getBeanFactory();
		if (event.getBootstrapContext().isRegistered(EmbeddedEtcd.class)) {
			EmbeddedEtcd embeddedEtcd = event.getBootstrapContext().get(EmbeddedEtcd.class);
			register(beanFactory, "embeddedEtcd", embeddedEtcd, embeddedEtcd);
		}
		EtcdConfigDataClient client = event.getBootstrapContext().get(EtcdConfigDataClient.class);
		client.startupCompleted();
		register(beanFactory, "etcdConfigDataClient", client, client::close);
	}

	/**
	 * A singleton with a destroy callback, so that it is closed even when the context
	 * fails before creating beans.
	 */
	private static void register(DefaultListableBeanFactory beanFactory, String name, Object instance,
			DisposableBean destroyer) {
		beanFactory.registerSingleton(name, instance);
		beanFactory.registerDisposableBean(name, destroyer);
	}

}
