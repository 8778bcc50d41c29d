package io.github.etcdspring.aot;

import java.util.List;
import java.util.Properties;

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
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime hints cover what the starter reflects on or loads by name.
 */
class EtcdRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	@Test
	void isRegisteredForAotProcessing() {
		assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(EtcdRuntimeHints.class);
	}

	@Test
	void propertiesBoundBeforeTheContextExistsCanBeBound() {
		register();
		for (Class<?> type : List.of(EtcdProperties.class, EtcdProperties.Retry.class, EtcdProperties.Health.class,
				EtcdConfigProperties.class, EtcdConfigProperties.Limits.class, EmbeddedEtcdProperties.class)) {
			assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName()).accepts(this.hints);
		}
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(EtcdProperties.class, "setRequestTimeout"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(EtcdProperties.Health.class, "setInterval"))
			.accepts(this.hints);
	}

	@Test
	void jsonTypesCanBeBoundByJackson() throws Exception {
		register();
		Class<?> document = Class.forName(EtcdRuntimeHints.JSON_INSTANCE_DOCUMENT);
		assertThat(RuntimeHintsPredicates.reflection().onType(document)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(document, "host")).accepts(this.hints);
		for (Class<?> type : List.of(EtcdClusterPart.Cluster.class, EtcdClusterPart.ClusterMember.class,
				EtcdClusterPart.EndpointStatus.class, RegistrationReport.class, RegistryEndpointAction.Result.class,
				DiscoveryEndpointPart.Watch.class, ConfigurationEndpointPart.Refresh.class,
				ConfigurationEndpointPart.Rejected.class, SessionDescription.Loss.class,
				LocksDescription.HeldLock.class, ElectionDescription.LastRevocation.class)) {
			assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName()).accepts(this.hints);
		}
	}

	@Test
	void grpcProvidersCanBeLoadedByTheServiceLoader() throws Exception {
		register();
		assertThat(RuntimeHintsPredicates.resource().forResource("META-INF/services/io.grpc.NameResolverProvider"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("META-INF/services/io.grpc.LoadBalancerProvider"))
			.accepts(this.hints);
		for (String provider : EtcdRuntimeHints.GRPC_PROVIDERS) {
			assertThat(Class.forName(provider)).as(provider + " exists").isNotNull();
			assertThat(RuntimeHintsPredicates.reflection()
				.onType(TypeReference.of(provider))
				.withMemberCategory(MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS)).as(provider).accepts(this.hints);
		}
	}

	@Test
	void everySpringFactoriesEntryOfTheStarterIsCoveredByTheRegistrarsOfTheClassPath() throws Exception {
		// As AOT processing does: every registrar of the class path, Spring's among them
		SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(this.hints, getClass().getClassLoader()));
		Properties factories = PropertiesLoaderUtils
			.loadProperties(new FileSystemResource("src/main/resources/META-INF/spring.factories"));
		List<String> ours = factories.values()
			.stream()
			.flatMap((names) -> StringUtils.commaDelimitedListToSet((String) names).stream())
			.map(String::trim)
			.filter((name) -> name.startsWith("io.github.etcdspring."))
			.toList();
		assertThat(ours).hasSizeGreaterThan(5)
			.allSatisfy((name) -> assertThat(RuntimeHintsPredicates.reflection()
				.onType(TypeReference.of(name))
				.withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).as(name).accepts(this.hints));
	}

	private void register() {
		new EtcdRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

}
