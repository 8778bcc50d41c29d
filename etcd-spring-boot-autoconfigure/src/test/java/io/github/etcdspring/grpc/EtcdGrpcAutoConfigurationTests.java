package io.github.etcdspring.grpc;

import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.discovery.EtcdDiscoveryAutoConfiguration;
import io.github.etcdspring.discovery.EtcdServiceCatalog;
import io.github.etcdspring.format.EtcdRegistryFormatAutoConfiguration;
import io.github.etcdspring.test.EtcdCluster;
import io.grpc.NameResolverRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class EtcdGrpcAutoConfigurationTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdAutoConfiguration.class,
				EtcdRegistryFormatAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class,
				UtilAutoConfiguration.class, EtcdGrpcAutoConfiguration.class))
		.withPropertyValues(etcd.springProperties());

	@Test
	void theProviderIsRegisteredWithGrpcWhileTheContextRuns() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(EtcdNameResolverProvider.class);
			assertThat(etcdProvider()).isSameAs(context.getBean(EtcdNameResolverProvider.class));
		});
		assertThat(etcdProvider()).as("deregistered when the context closed").isNull();
	}

	@Test
	void nothingIsRegisteredWithoutDiscovery() {
		this.contextRunner.withPropertyValues("etcd.discovery.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(EtcdServiceCatalog.class)
				.doesNotHaveBean(EtcdNameResolverProvider.class)
				.doesNotHaveBean(EtcdNameResolverRegistration.class);
			assertThat(etcdProvider()).isNull();
		});
	}

	@Test
	void anApplicationsOwnProviderIsTheOneRegistered() {
		this.contextRunner.withUserConfiguration(OwnProvider.class).run((context) -> {
			assertThat(context).hasSingleBean(EtcdNameResolverProvider.class);
			assertThat(etcdProvider()).isSameAs(context.getBean("ownProvider"));
		});
	}

	private static Object etcdProvider() {
		return NameResolverRegistry.getDefaultRegistry().getProviderForScheme(EtcdNameResolverProvider.SCHEME);
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnProvider {

		@Bean
		EtcdNameResolverProvider ownProvider(EtcdServiceCatalog catalog) {
			return new EtcdNameResolverProvider(catalog);
		}

	}

}
