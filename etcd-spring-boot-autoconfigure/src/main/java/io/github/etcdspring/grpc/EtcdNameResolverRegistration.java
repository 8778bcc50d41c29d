package io.github.etcdspring.grpc;

import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Registers a {@link NameResolverProvider} with a gRPC {@link NameResolverRegistry} while
 * the application context runs, so that channels built with
 * {@code ManagedChannelBuilder.forTarget(...)} find it, and deregisters it when the
 * context closes.
 * <p>
 * The default registry is one per JVM: when several contexts register a provider for the
 * same scheme, the first one registered resolves until it is deregistered.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdNameResolverRegistration implements InitializingBean, DisposableBean {

	private final NameResolverRegistry registry;

	private final NameResolverProvider provider;

	public EtcdNameResolverRegistration(NameResolverRegistry registry, NameResolverProvider provider) {
		this.registry = registry;
		this.provider = provider;
	}

	@Override
	public void afterPropertiesSet() {
		this.registry.register(this.provider);
	}

	@Override
	public void destroy() {
		this.registry.deregister(this.provider);
	}

}
