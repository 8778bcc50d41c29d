package io.github.etcdspring.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.etcd.jetcd.Client;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code etcd.config.load} and {@code etcd.config.refresh} observations, against a
 * real etcd.
 */
class ConfigObservationsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final Client client = etcd.client();

	@Test
	void aRefreshIsObservedAfterTheLoadOfTheChange() {
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd)) {
			Recorder recorder = new Recorder();
			context.getBean(ObservationRegistry.class).observationConfig().observationHandler(recorder);
			EtcdKeys.put(this.client, "config/application/greeting/message", "hello");
			await().atMost(TIMEOUT).until(() -> recorder.named(ConfigRefreshObserver.REFRESH).size() == 1);
			Observation.Context refresh = recorder.named(ConfigRefreshObserver.REFRESH).get(0);
			assertThat(refresh.getLowCardinalityKeyValues()).containsExactlyInAnyOrder(KeyValue.of("mode", "in-place"),
					KeyValue.of("outcome", "refreshed"));
			assertThat(refresh.getError()).isNull();
			assertThat(recorder.named(ConfigRefreshObserver.LOAD)).singleElement()
				.satisfies((load) -> assertThat(load.getLowCardinalityKeyValues())
					.containsExactlyInAnyOrder(KeyValue.of("phase", "watch"), KeyValue.of("outcome", "loaded")));
		}
	}

	@Test
	void aRejectedDocumentIsObservedAsARejectedLoadAndRefreshesNothing() {
		EtcdKeys.put(this.client, "config/application/data", "greeting:\n  message: hello\n");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, "--etcd.config.format=YAML")) {
			Recorder recorder = new Recorder();
			context.getBean(ObservationRegistry.class).observationConfig().observationHandler(recorder);
			EtcdKeys.put(this.client, "config/application/data", "greeting:\n  message: [broken\n");
			await().atMost(TIMEOUT).until(() -> recorder.named(ConfigRefreshObserver.LOAD).size() == 1);
			assertThat(recorder.named(ConfigRefreshObserver.LOAD).get(0).getLowCardinalityKeyValue("outcome"))
				.isEqualTo(KeyValue.of("outcome", "rejected"));
			assertThat(recorder.named(ConfigRefreshObserver.REFRESH)).isEmpty();
		}
	}

	@Test
	void theImportAtStartupIsObservedWithTheRegistryOfTheBootstrapContext() {
		EtcdKeys.put(this.client, "config/application/greeting/message", "hello");
		Recorder recorder = new Recorder();
		ObservationRegistry bootstrapRegistry = ObservationRegistry.create();
		bootstrapRegistry.observationConfig().observationHandler(recorder);
		List<String> arguments = new ArrayList<>(
				List.of("--spring.main.banner-mode=off", "--etcd.discovery.enabled=false", "--service.enabled=false",
						"--spring.config.import=etcd:", "--etcd.config.watch.enabled=false"));
		for (String property : etcd.springProperties()) {
			arguments.add("--" + property);
		}
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ConfigTestApplication.class)
			.web(WebApplicationType.NONE)
			.addBootstrapRegistryInitializer(
					(bootstrap) -> bootstrap.register(ObservationRegistry.class, (instance) -> bootstrapRegistry))
			.run(arguments.toArray(String[]::new))) {
			assertThat(context.getEnvironment().getProperty("greeting.message")).isEqualTo("hello");
			assertThat(recorder.named(ConfigRefreshObserver.LOAD)).singleElement()
				.satisfies((load) -> assertThat(load.getLowCardinalityKeyValues())
					.containsExactlyInAnyOrder(KeyValue.of("phase", "startup"), KeyValue.of("outcome", "loaded")));
		}
	}

	/**
	 * Records the observations that stopped.
	 */
	static final class Recorder implements ObservationHandler<Observation.Context> {

		private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(context);
		}

		List<Observation.Context> named(String name) {
			return this.stopped.stream().filter((context) -> name.equals(context.getName())).toList();
		}

	}

}
