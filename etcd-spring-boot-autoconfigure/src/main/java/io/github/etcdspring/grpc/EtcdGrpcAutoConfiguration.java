package io.github.etcdspring.grpc;

import io.github.etcdspring.discovery.EtcdDiscoveryAutoConfiguration;
import io.github.etcdspring.discovery.EtcdServiceCatalog;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of gRPC name resolution from the etcd registry: the
 * {@link EtcdNameResolverProvider} of the {@code etcd} scheme, registered with gRPC's
 * default {@link NameResolverRegistry} while the context runs.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration(after = EtcdDiscoveryAutoConfiguration.class)
@ConditionalOnClass(NameResolverProvider.class)
@ConditionalOnBean(EtcdServiceCatalog.class)
public class EtcdGrpcAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EtcdNameResolverProvider etcdNameResolverProvider(EtcdServiceCatalog catalog) {
		return new EtcdNameResolverProvider(catalog);
	}

	@Bean
	@ConditionalOnMissingBean
	EtcdNameResolverRegistration etcdNameResolverRegistration(EtcdNameResolverProvider provider) {
		return new EtcdNameResolverRegistration(NameResolverRegistry.getDefaultRegistry(), provider);
	}

}
