package io.github.etcdspring.config;

import java.time.Duration;
import java.util.List;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.auth.Permission;
import io.etcd.jetcd.options.OptionsUtil;
import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Configuration read by a user whose role may read only some keys.
 */
class EtcdConfigAuthenticationTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().withAuthentication();

	/** Ten retries of a watcher that would poll. */
	private static final Duration POLLING_WINDOW = Duration.ofSeconds(1);

	private final Client root = etcd.client();

	@Test
	void aUserWithoutReadPermissionOnTheContextsGetsAClearError() {
		EtcdKeys.put(this.root, "config/application/greeting/message", "secret");
		assertThatExceptionOfType(EtcdConfigDataException.class)
			.isThrownBy(() -> ConfigTestApplication.start(etcd, "--etcd.username=" + EtcdCluster.USER,
					"--etcd.password=" + EtcdCluster.USER_PASSWORD))
			.withMessageContaining("etcd denied permission")
			.satisfies((ex) -> {
				assertThat(ex.getFailure()).isEqualTo(EtcdFailure.PERMISSION_DENIED);
				assertThat(new EtcdConfigDataFailureAnalyzer().analyze(ex).getAction())
					.contains("etcdctl role grant-permission");
			});
	}

	@Test
	void aUserPermittedToReadOnlyItsContextsFollowsThemWithAWatchEachAndDoesNotPoll() {
		Auth auth = this.root.getAuthClient();
		EtcdKeys.await(auth.userAdd(EtcdKeys.bytes("narrow"), EtcdKeys.bytes("narrow-secret")));
		EtcdKeys.await(auth.roleAdd(EtcdKeys.bytes("narrow-role")));
		for (String prefix : List.of("config/application/", "config/payments/")) {
			EtcdKeys.await(auth.roleGrantPermission(EtcdKeys.bytes("narrow-role"), EtcdKeys.bytes(prefix),
					OptionsUtil.prefixEndOf(EtcdKeys.bytes(prefix)), Permission.Type.READ));
		}
		EtcdKeys.await(auth.userGrantRole(EtcdKeys.bytes("narrow"), EtcdKeys.bytes("narrow-role")));
		EtcdKeys.put(this.root, "config/payments/greeting/message", "narrow");
		// a watcher that polls instead of watching reads again at every retry, here every
		// 100 ms
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd, "--etcd.username=narrow",
				"--etcd.password=narrow-secret", "--spring.application.name=payments", "--etcd.retry.delay=50ms",
				"--etcd.retry.max-delay=100ms")) {
			assertThat(context.getBean(ConfigTestApplication.Greeting.class).message()).isEqualTo("narrow");
			// etcd counts only the watches it permitted: one per context
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(watchers()).isEqualTo(2));
			long reads = reads();
			long authentications = authentications();
			await().during(POLLING_WINDOW)
				.atMost(POLLING_WINDOW.multipliedBy(3))
				.untilAsserted(() -> assertThat(List.of(reads(), authentications()))
					.as("reads and authentications while nothing changes")
					.containsExactly(reads, authentications));
			EtcdKeys.put(this.root, "config/payments/greeting/message", "narrow again");
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(context.getBean(ConfigTestApplication.Greeting.class).message())
					.isEqualTo("narrow again"));
			assertThat(watchers()).isEqualTo(2);
		}
	}

	@Test
	void aUserReadsAndFollowsTheContextsItMayRead() {
		String prefix = EtcdCluster.USER_PREFIX + "config";
		EtcdKeys.put(this.root, prefix + "/application/greeting/message", "hello");
		try (ConfigurableApplicationContext context = ConfigTestApplication.start(etcd,
				"--etcd.username=" + EtcdCluster.USER, "--etcd.password=" + EtcdCluster.USER_PASSWORD,
				"--etcd.config.prefix=" + prefix)) {
			ConfigTestApplication.Greeting greeting = context.getBean(ConfigTestApplication.Greeting.class);
			assertThat(greeting.message()).isEqualTo("hello");
			EtcdKeys.put(this.root, prefix + "/application/greeting/message", "hello again");
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(context.getBean(ConfigTestApplication.Greeting.class).message())
					.isEqualTo("hello again"));
		}
	}

	private static long watchers() {
		return etcd.metric(0, "etcd_debugging_mvcc_watcher_total");
	}

	/** The reads of the contexts are transactions; anything else reads ranges. */
	private static long reads() {
		return etcd.metric(0,
				"grpc_server_started_total{grpc_method=\"Txn\",grpc_service=\"etcdserverpb.KV\","
						+ "grpc_type=\"unary\"}")
				+ etcd.metric(0, "grpc_server_started_total{grpc_method=\"Range\",grpc_service=\"etcdserverpb.KV\","
						+ "grpc_type=\"unary\"}");
	}

	private static long authentications() {
		return etcd.metric(0, "grpc_server_started_total{grpc_method=\"Authenticate\","
				+ "grpc_service=\"etcdserverpb.Auth\",grpc_type=\"unary\"}");
	}

}
