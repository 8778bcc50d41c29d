package io.github.etcdspring.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.etcd.jetcd.Client;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.awaitility.Awaitility;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.context.config.annotation.RefreshScope;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * An application without a web server that imports its configuration from etcd, with a
 * {@code @RefreshScope} bean and a {@code @ConfigurationProperties} bean to watch, for
 * configuration tests.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableConfigurationProperties(ConfigTestApplication.Settings.class)
public class ConfigTestApplication {

	@Bean
	@RefreshScope
	Greeting greeting(@Value("${greeting.message:none}") String message) {
		return new Greeting(message);
	}

	@Bean
	ConfigChanges configChanges() {
		return new ConfigChanges();
	}

	/**
	 * Changes the configuration in etcd while the application starts, and waits until the
	 * watcher has seen it.
	 */
	@Bean
	@ConditionalOnProperty("test.write-before-ready")
	ApplicationRunner writeBeforeReady(EtcdConfigWatcher watcher, Environment environment) {
		return (arguments) -> {
			try (Client client = Client.builder().endpoints(environment.getProperty("etcd.endpoints")).build()) {
				EtcdKeys.put(client, "config/application/greeting/message",
						environment.getProperty("test.write-before-ready"));
			}
			Awaitility.await().atMost(Duration.ofSeconds(20)).until(watcher::isRefreshPending);
		};
	}

	/**
	 * Changes the configuration in etcd and compacts its history after the configuration
	 * was loaded and before the watcher starts, so that the revision the watcher resumes
	 * from is gone.
	 */
	@Bean
	@ConditionalOnProperty("test.compact-before-watch")
	Object compactBeforeWatch(Environment environment) {
		try (Client client = Client.builder().endpoints(environment.getProperty("etcd.endpoints")).build()) {
			EtcdKeys.put(client, "config/application/greeting/message",
					environment.getProperty("test.compact-before-watch"));
			EtcdKeys.put(client, "config/unrelated/marker", "written after the change");
			long revision = EtcdKeys.await(client.getKVClient().get(EtcdKeys.bytes("config/unrelated/marker")))
				.getHeader()
				.getRevision();
			EtcdKeys.await(client.getKVClient().compact(revision));
		}
		return "compacted";
	}

	/**
	 * Start an application that imports {@code etcd:} (unless the arguments import
	 * something else).
	 * @param etcd the cluster
	 * @param arguments command-line arguments ({@code --name=value}), after the defaults
	 * @return the running application
	 */
	public static ConfigurableApplicationContext start(EtcdCluster etcd, String... arguments) {
		return run(Stream
			.concat(Stream.of(etcd.springProperties()).map((property) -> "--" + property), Stream.of(arguments))
			.toArray(String[]::new));
	}

	/**
	 * Start an application with only the given arguments and the test defaults.
	 * @param arguments command-line arguments
	 * @return the running application
	 */
	public static ConfigurableApplicationContext run(String... arguments) {
		List<String> all = new ArrayList<>(Stream
			.of("--spring.main.banner-mode=off", "--etcd.discovery.enabled=false", "--service.enabled=false",
					"--etcd.retry.delay=200ms", "--etcd.retry.max-delay=1s", "--etcd.request-timeout=2s",
					"--etcd.dial-timeout=2s")
			// a default the arguments set is left out: a property given twice on the
			// command line is a list
			.filter((setting) -> Stream.of(arguments)
				.noneMatch((argument) -> argument.startsWith(setting.substring(0, setting.indexOf('=') + 1))))
			.toList());
		if (Stream.of(arguments).noneMatch((argument) -> argument.startsWith("--spring.config.import="))
				&& Stream.of(arguments).noneMatch((argument) -> argument.startsWith("--spring.cloud.bootstrap"))) {
			all.add("--spring.config.import=etcd:");
		}
		all.addAll(List.of(arguments));
		return new SpringApplicationBuilder(ConfigTestApplication.class).web(WebApplicationType.NONE)
			.run(all.toArray(String[]::new));
	}

	/**
	 * A bean created again on each refresh.
	 */
	public static class Greeting {

		private final String message;

		public Greeting(String message) {
			this.message = message;
		}

		public String message() {
			return this.message;
		}

	}

	@ConfigurationProperties("sample")
	public static class Settings {

		private String message = "default";

		private int limit;

		private List<String> tags = new ArrayList<>();

		public String getMessage() {
			return this.message;
		}

		public void setMessage(String message) {
			this.message = message;
		}

		public int getLimit() {
			return this.limit;
		}

		public void setLimit(int limit) {
			this.limit = limit;
		}

		public List<String> getTags() {
			return this.tags;
		}

		public void setTags(List<String> tags) {
			this.tags = tags;
		}

	}

	/**
	 * The changes the watcher published, one per refresh, in either refresh mode.
	 */
	public static class ConfigChanges implements ApplicationListener<PayloadApplicationEvent<EtcdConfigChange>> {

		public final List<EtcdConfigChange> changes = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(PayloadApplicationEvent<EtcdConfigChange> event) {
			this.changes.add(event.getPayload());
		}

	}

}
