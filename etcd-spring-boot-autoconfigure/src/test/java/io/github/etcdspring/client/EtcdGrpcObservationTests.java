package io.github.etcdspring.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.etcd.jetcd.Client;
import io.github.etcdspring.test.EtcdCluster;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static io.github.etcdspring.test.EtcdKeys.get;
import static io.github.etcdspring.test.EtcdKeys.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every gRPC call of the shared client is observed through Micrometer's gRPC client
 * interceptor when the application has an {@link ObservationRegistry}.
 */
class EtcdGrpcObservationTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class))
		.withPropertyValues(etcd.springProperties());

	@Test
	void everyCallOfTheClientIsObservedWithItsMethod() {
		this.contextRunner.withUserConfiguration(RecordingObservations.class).run((context) -> {
			Client client = context.getBean(Client.class);
			put(client, "/observed/key", "value");
			assertThat(get(client, "/observed/key")).isEqualTo("value");
			List<Observation.Context> stopped = context.getBean(RecordingObservations.class).stopped;
			await().atMost(BOUND)
				.until(() -> stopped.stream()
					.filter((observation) -> "grpc.client".equals(observation.getName()))
					.map(Observation.Context::getContextualName)
					.toList(), (names) -> names.containsAll(List.of("etcdserverpb.KV/Put", "etcdserverpb.KV/Range")));
			assertThat(stopped)
				.filteredOn((observation) -> "etcdserverpb.KV/Put".equals(observation.getContextualName()))
				.first()
				.satisfies((
						observation) -> assertThat(observation.getLowCardinalityKeyValue("grpc.status_code").getValue())
							.isEqualTo("OK"));
		});
	}

	@Test
	void notObservedWithoutAnObservationRegistry() {
		this.contextRunner
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("etcdGrpcObservationCustomizer"));
	}

	@Test
	void notObservedWithoutMicrometerCore() {
		this.contextRunner.withUserConfiguration(RecordingObservations.class)
			.withClassLoader(new FilteredClassLoader(ObservationGrpcClientInterceptor.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("etcdGrpcObservationCustomizer"));
	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingObservations {

		final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		@Bean
		ObservationRegistry observationRegistry() {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(new ObservationHandler<>() {

				@Override
				public void onStop(Observation.Context context) {
					RecordingObservations.this.stopped.add(context);
				}

				@Override
				public boolean supportsContext(Observation.Context context) {
					return true;
				}

			});
			return registry;
		}

	}

}
