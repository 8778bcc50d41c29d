package io.github.etcdspring.format;

import io.etcd.jetcd.Client;
import io.github.etcdspring.client.ConditionalOnEtcdEnabled;
import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.format.polyglot.PolyglotFormatsConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the {@link RegistryFormat} shared by discovery (which reads the
 * registry) and the service registry (which writes it). The format is chosen with
 * {@code etcd.registry.format}, one configuration per format
 * ({@link JsonRegistryFormatConfiguration}); define a {@link ServiceInstanceCodec} or a
 * {@link RegistryFormat} bean to use another. Without a format (for example {@code json}
 * without Jackson), discovery and the service registry back off.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration(after = EtcdAutoConfiguration.class)
@ConditionalOnClass(Client.class)
@ConditionalOnEtcdEnabled
@ConditionalOnBean(Client.class)
@EnableConfigurationProperties(EtcdRegistryFormatProperties.class)
@Import({ JsonRegistryFormatConfiguration.class, PolyglotFormatsConfiguration.class })
public class EtcdRegistryFormatAutoConfiguration {

	/**
	 * The property holding the registry prefix. It is documented with discovery's other
	 * settings, where it has always been, and read here because the service registry uses
	 * it as well.
	 */
	static final String PREFIX_PROPERTY = "etcd.discovery.prefix";

	@Bean
	@ConditionalOnMissingBean
	RegistryKeyLayout etcdRegistryKeyLayout(Environment environment) {
		String prefix = Binder.get(environment).bind(PREFIX_PROPERTY, String.class).orElse("services");
		try {
			return new NativeKeyLayout(prefix);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(PREFIX_PROPERTY, prefix, ex.getMessage());
		}
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ServiceInstanceCodec.class)
	RegistryFormat etcdRegistryFormat(RegistryKeyLayout layout, ServiceInstanceCodec codec) {
		return RegistryFormat.of(layout, codec);
	}

}
