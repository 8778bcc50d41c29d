package io.github.etcdspring.aot;

import java.util.List;

import io.github.etcdspring.client.EtcdClusterPart;
import io.github.etcdspring.client.EtcdProperties;
import io.github.etcdspring.config.ConfigurationEndpointPart;
import io.github.etcdspring.config.EtcdConfigProperties;
import io.github.etcdspring.coordination.SessionDescription;
import io.github.etcdspring.discovery.DiscoveryEndpointPart;
import io.github.etcdspring.embedded.EmbeddedEtcdProperties;
import io.github.etcdspring.leader.ElectionDescription;
import io.github.etcdspring.lock.LocksDescription;
import io.github.etcdspring.registry.RegistrationReport;
import io.github.etcdspring.registry.RegistryEndpointAction;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * What the starter reflects on or loads by name, for Spring's AOT processing and GraalVM
 * native images (registered in {@code META-INF/spring/aot.factories}).
 * <ul>
 * <li>The properties bound with a {@code Binder} before the application context exists
 * (configuration import, embedded etcd); the {@code @ConfigurationProperties} beans are
 * covered by Spring Boot.</li>
 * <li>The JSON document of the native registry format, bound by Jackson, and the JSON of
 * every part and action of the {@code etcd} endpoint: their operations are declared to
 * return {@code Object}, so Spring cannot find these types itself.</li>
 * <li>gRPC's providers, which it loads with the {@code ServiceLoader} and by name: name
 * resolvers, load balancers and the Netty channel that jetcd uses.</li>
 * </ul>
 * The entries of {@code META-INF/spring.factories} (failure analyzers, configuration data
 * loader and resolver, environment post-processors) are covered by Spring's
 * {@code SpringFactoriesLoaderRuntimeHints}, Netty by its own native-image metadata.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdRuntimeHints implements RuntimeHintsRegistrar {

	/** The registry document of the native JSON format, package-private. */
	static final String JSON_INSTANCE_DOCUMENT = "io.github.etcdspring.format.JsonServiceInstanceCodec$Document";

	/**
	 * Loaded by gRPC with the ServiceLoader or by name, with their public constructor.
	 */
	static final List<String> GRPC_PROVIDERS = List.of("io.grpc.internal.DnsNameResolverProvider",
			"io.grpc.internal.PickFirstLoadBalancerProvider",
			"io.grpc.util.SecretRoundRobinLoadBalancerProvider$Provider",
			"io.grpc.util.OutlierDetectionLoadBalancerProvider", "io.grpc.netty.NettyChannelProvider",
			"io.grpc.netty.UdsNameResolverProvider", "io.grpc.netty.UdsNettyChannelProvider");

	/**
	 * What the parts and actions of the {@code etcd} endpoint answer, nested types
	 * included.
	 */
	static final List<Class<?>> ENDPOINT_JSON = List.of(EtcdClusterPart.Cluster.class, RegistrationReport.class,
			RegistryEndpointAction.Result.class, DiscoveryEndpointPart.Discovery.class,
			ConfigurationEndpointPart.Configuration.class, SessionDescription.class, LocksDescription.class,
			ElectionDescription.class);

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		BindableRuntimeHintsRegistrar
			.forTypes(EtcdProperties.class, EtcdConfigProperties.class, EmbeddedEtcdProperties.class)
			.registerHints(hints, classLoader);
		BindingReflectionHintsRegistrar json = new BindingReflectionHintsRegistrar();
		json.registerReflectionHints(hints.reflection(), ENDPOINT_JSON.toArray(Class<?>[]::new));
		if (ClassUtils.isPresent(JSON_INSTANCE_DOCUMENT, classLoader)) {
			json.registerReflectionHints(hints.reflection(),
					ClassUtils.resolveClassName(JSON_INSTANCE_DOCUMENT, classLoader));
		}
		hints.resources().registerPattern("META-INF/services/io.grpc.*");
		GRPC_PROVIDERS.forEach((provider) -> hints.reflection()
			.registerType(TypeReference.of(provider), MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS));
	}

}
