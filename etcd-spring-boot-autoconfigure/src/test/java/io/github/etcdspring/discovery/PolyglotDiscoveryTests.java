package io.github.etcdspring.discovery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.format.EtcdRegistryFormatAutoConfiguration;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.CommonsClientAutoConfiguration;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.LoadBalancerAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.BlockingLoadBalancerClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Discovery of the Go registries' entries, written with {@code etcdctl} and leases as the
 * Go libraries write them, next to native ones.
 */
@ExtendWith(OutputCaptureExtension.class)
class PolyglotDiscoveryTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private static final String ALL_FORMATS = "etcd.discovery.formats=native,kitex,gokit,gone,go-core,grpc-naming,kratos,go-zero";

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final EtcdctlWriter etcdctl = new EtcdctlWriter(etcd);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EtcdAutoConfiguration.class,
				EtcdRegistryFormatAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class,
				SimpleDiscoveryClientAutoConfiguration.class, CompositeDiscoveryClientAutoConfiguration.class,
				CommonsClientAutoConfiguration.class, UtilAutoConfiguration.class, LoadBalancerAutoConfiguration.class,
				org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration.class,
				BlockingLoadBalancerClientAutoConfiguration.class, EtcdLoadBalancerAutoConfiguration.class))
		.withPropertyValues(etcd.springProperties())
		.withPropertyValues(ALL_FORMATS);

	@Test
	void anEntryOfEachFormatWrittenWithALeaseAppearsAndGoesWhenItsKeyIsDeleted() {
		this.contextRunner.run((context) -> {
			DiscoveryClient discovery = context.getBean(DiscoveryClient.class);
			long lease = this.etcdctl.grant(600);
			List<Entry> entries = entriesOfEachFormat(lease);
			entries.forEach((entry) -> this.etcdctl.put(entry.key(), entry.value(), lease));
			for (Entry entry : entries) {
				await().atMost(BOUND)
					.untilAsserted(() -> assertThat(discovery.getInstances(entry.service())).singleElement()
						.satisfies((instance) -> assertThat(instance.getPort()).isEqualTo(entry.port()))
						.satisfies((instance) -> assertThat(instance.getMetadata())
							.containsEntry(EtcdServiceInstance.FORMAT_METADATA_KEY, entry.format())));
			}
			for (Entry entry : entries) {
				this.etcdctl.delete(entry.key());
				await().atMost(BOUND).until(() -> discovery.getInstances(entry.service()).isEmpty());
			}
		});
	}

	@Test
	void entriesOfEveryFormatGoWhenTheirLeaseExpires() {
		this.contextRunner.run((context) -> {
			DiscoveryClient discovery = context.getBean(DiscoveryClient.class);
			long lease = this.etcdctl.grant(6);
			List<Entry> entries = entriesOfEachFormat(lease);
			entries.forEach((entry) -> this.etcdctl.put(entry.key(), entry.value(), lease));
			await().atMost(BOUND)
				.until(() -> entries.stream().allMatch((entry) -> discovery.getInstances(entry.service()).size() == 1));
			await().atMost(BOUND)
				.until(() -> entries.stream().allMatch((entry) -> discovery.getInstances(entry.service()).isEmpty()));
		});
	}

	@Test
	void aMergedServiceIsLoadBalancedAcrossANativeAndAKitexInstance() {
		long lease = this.etcdctl.grant(600);
		this.etcdctl.put("services/echo/java-1", "{\"host\":\"127.0.0.1\",\"port\":8081}", lease);
		this.etcdctl.put("kitex/registry-etcd/echo/127.0.0.1:8082",
				"{\"network\":\"tcp\",\"address\":\"127.0.0.1:8082\",\"weight\":10,\"tags\":null}", lease);
		this.etcdctl.put("echo-127.0.0.1:8083", gone("echo", 8083, false, "1.0"), lease);
		this.contextRunner.run((context) -> {
			DiscoveryClient discovery = context.getBean(DiscoveryClient.class);
			await().atMost(BOUND).until(() -> discovery.getInstances("echo").size() == 2);
			assertThat(discovery.getInstances("echo")).as("the unhealthy Gone instance is not returned")
				.extracting(ServiceInstance::getPort)
				.containsExactlyInAnyOrder(8081, 8082);
			assertThat(discovery.getInstances("echo"))
				.extracting((instance) -> instance.getMetadata().get(EtcdServiceInstance.FORMAT_METADATA_KEY),
						(instance) -> instance.getMetadata().get(EtcdServiceInstance.WEIGHT_METADATA_KEY))
				.containsExactlyInAnyOrder(tuple("native", "1"), tuple("kitex", "10"));
			LoadBalancerClient loadBalancer = context.getBean(LoadBalancerClient.class);
			Set<Integer> reached = new HashSet<>();
			for (int i = 0; i < 10; i++) {
				reached.add(loadBalancer.choose("echo").getPort());
			}
			assertThat(reached).containsExactlyInAnyOrder(8081, 8082);
		});
	}

	@Test
	void theWeightedConfigurationReadsTheWeightOfAForeignInstance() {
		long lease = this.etcdctl.grant(600);
		this.etcdctl.put("services/heavy/java-1", "{\"host\":\"127.0.0.1\",\"port\":8081}", lease);
		this.etcdctl.put("kitex/registry-etcd/heavy/127.0.0.1:8082",
				"{\"network\":\"tcp\",\"address\":\"127.0.0.1:8082\",\"weight\":10,\"tags\":null}", lease);
		this.contextRunner.withPropertyValues("spring.cloud.loadbalancer.configurations=weighted").run((context) -> {
			DiscoveryClient discovery = context.getBean(DiscoveryClient.class);
			await().atMost(BOUND).until(() -> discovery.getInstances("heavy").size() == 2);
			LoadBalancerClient loadBalancer = context.getBean(LoadBalancerClient.class);
			int kitexCalls = 0;
			for (int i = 0; i < 44; i++) {
				kitexCalls += (loadBalancer.choose("heavy").getPort() == 8082) ? 1 : 0;
			}
			assertThat(kitexCalls).as("weights 10 and 1").isGreaterThanOrEqualTo(30).isLessThan(44);
		});
	}

	@Test
	void oneTransactionAcrossTheRangesOfTwoFormatsIsSeenWhole() {
		this.contextRunner.withPropertyValues("etcd.discovery.formats=native,kitex").run((context) -> {
			DiscoveryClient discovery = context.getBean(DiscoveryClient.class);
			EtcdServiceCatalog catalog = context.getBean(EtcdServiceCatalog.class);
			assertThat(catalog.isLoaded()).isTrue();
			for (int port = 8100; port < 8110; port++) {
				txn("services/txn/java-" + port, "{\"host\":\"127.0.0.1\",\"port\":" + port + "}",
						"kitex/registry-etcd/txn/127.0.0.1:" + (port + 100),
						"{\"network\":\"tcp\",\"address\":\"127.0.0.1:" + (port + 100)
								+ "\",\"weight\":10,\"tags\":null}");
			}
			await().atMost(BOUND).until(() -> discovery.getInstances("txn").size() == 20);
		});
	}

	private static void txn(String firstKey, String firstValue, String secondKey, String secondValue) {
		EtcdKeys.await(etcd.client()
			.getKVClient()
			.txn()
			.Then(Op.put(bytes(firstKey), bytes(firstValue), PutOption.DEFAULT),
					Op.put(bytes(secondKey), bytes(secondValue), PutOption.DEFAULT))
			.commit());
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	@Test
	void oneInstancePublishedInTwoFormatsStaysWhenOneOfItsKeysIsDeleted() {
		long lease = this.etcdctl.grant(600);
		this.etcdctl.put("kitex/registry-etcd/twice/127.0.0.1:8082",
				"{\"network\":\"tcp\",\"address\":\"127.0.0.1:8082\",\"weight\":10,\"tags\":null}", lease);
		this.etcdctl.put("/services/twice/127.0.0.1:8082", "http://127.0.0.1:8082", lease);
		this.contextRunner.run((context) -> {
			DiscoveryClient discovery = context.getBean(DiscoveryClient.class);
			await().atMost(BOUND).until(() -> discovery.getInstances("twice").size() == 2);
			assertThat(discovery.getInstances("twice")).extracting(ServiceInstance::getInstanceId)
				.containsOnly("127.0.0.1:8082");
			this.etcdctl.delete("/services/twice/127.0.0.1:8082");
			await().atMost(BOUND).until(() -> discovery.getInstances("twice").size() == 1);
			assertThat(discovery.getInstances("twice").get(0).getMetadata())
				.containsEntry(EtcdServiceInstance.FORMAT_METADATA_KEY, "kitex");
		});
	}

	@Test
	void malformedForeignEntriesAreSkippedWithOneWarningEachAndNativeOnesStillSeen(CapturedOutput output) {
		long lease = this.etcdctl.grant(600);
		this.etcdctl.put("kitex/registry-etcd/mixed/127.0.0.1:8082", "{\"network\":\"tcp\",\"address\":", lease);
		this.etcdctl.put("mixed/127.0.0.1:8083", "not json", lease);
		this.etcdctl.put("services/mixed/java-1", "{\"host\":\"127.0.0.1\",\"port\":8081}", lease);
		this.contextRunner.run((context) -> {
			DiscoveryClient discovery = context.getBean(DiscoveryClient.class);
			EtcdServiceCatalog catalog = context.getBean(EtcdServiceCatalog.class);
			await().atMost(BOUND).until(() -> discovery.getInstances("mixed").size() == 1);
			this.etcdctl.put("kitex/registry-etcd/mixed/127.0.0.1:8084", "[1,2", lease);
			this.etcdctl.put("services/mixed/java-2", "{\"host\":\"127.0.0.1\",\"port\":8085}", lease);
			await().atMost(BOUND).until(() -> discovery.getInstances("mixed").size() == 2);
			assertThat(discovery.getInstances("mixed")).extracting(ServiceInstance::getPort)
				.containsExactlyInAnyOrder(8081, 8085);
			assertThat(catalog.getSkippedEntryCount()).isEqualTo(3);
			for (String key : List.of("kitex/registry-etcd/mixed/127.0.0.1:8082", "mixed/127.0.0.1:8083",
					"kitex/registry-etcd/mixed/127.0.0.1:8084")) {
				assertThat(output.toString().split("Skipping etcd key '" + key + "'", -1)).as(key).hasSize(2);
			}
			assertThat(output).contains("not a kitex instance")
				.contains("not a grpc-naming instance")
				.doesNotContain("Skipping etcd key 'services/");
		});
	}

	@Test
	void formatsAtTheRootReadTheRootOfTheNamespaceOnly() {
		long lease = this.etcdctl.grant(600);
		this.etcdctl.put("team-a/zr.rpc/" + lease, "127.0.0.1:8088", lease);
		this.etcdctl.put("zr.rpc/" + lease, "127.0.0.1:8089", lease);
		this.contextRunner.withPropertyValues("etcd.namespace=team-a/").run((context) -> {
			DiscoveryClient discovery = context.getBean(DiscoveryClient.class);
			await().atMost(BOUND).until(() -> discovery.getInstances("zr.rpc").size() == 1);
			this.etcdctl.put("team-a/gn-127.0.0.1:8084", gone("gn", 8084, true, "100"), lease);
			this.etcdctl.put("gn-127.0.0.1:8085", gone("gn", 8085, true, "100"), lease);
			this.etcdctl.put("team-a/marker-127.0.0.1:8086", gone("marker", 8086, true, "100"), lease);
			await().atMost(BOUND).until(() -> discovery.getInstances("marker").size() == 1);
			assertThat(discovery.getInstances("zr.rpc")).extracting(ServiceInstance::getPort).containsExactly(8088);
			assertThat(discovery.getInstances("gn")).extracting(ServiceInstance::getPort).containsExactly(8084);
		});
	}

	@Test
	void anUnknownFormatFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("etcd.discovery.formats=native,consul").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("etcd.discovery.formats")
				.hasMessageContaining("Unknown format 'consul'");
		});
	}

	/**
	 * One entry per format, as the Go libraries write them (the golden examples of the
	 * formats document, on loopback addresses), each of its own service.
	 */
	private static List<Entry> entriesOfEachFormat(long lease) {
		return List.of(
				new Entry("native", "java", "services/java/java-1", "{\"host\":\"127.0.0.1\",\"port\":8081}", 8081),
				new Entry("kitex", "kx", "kitex/registry-etcd/kx/127.0.0.1:8082",
						"{\"network\":\"tcp\",\"address\":\"127.0.0.1:8082\",\"weight\":10,\"tags\":null}", 8082),
				new Entry("gokit", "gk", "/services/gk/127.0.0.1:8083", "http://127.0.0.1:8083", 8083),
				new Entry("gone", "gn", "gn-127.0.0.1:8084", gone("gn", 8084, true, "100"), 8084),
				new Entry("go-core", "gc", "/go-core/services/gc/gc-1",
						"{\"id\":\"gc-1\",\"name\":\"gc\",\"address\":\"127.0.0.1:8085\",\"metadata\":{\"version\":\"1.4.2\"}}",
						8085),
				new Entry("grpc-naming", "foo/bar/my-service", "foo/bar/my-service/127.0.0.1:8086",
						"{\"Op\":0,\"Addr\":\"127.0.0.1:8086\",\"Metadata\":null}", 8086),
				new Entry("kratos", "kr", "/microservices/kr/3f0b6a6e",
						"{\"id\":\"3f0b6a6e\",\"name\":\"kr\",\"version\":\"v1.0.0\",\"metadata\":null,"
								+ "\"endpoints\":[\"grpc://127.0.0.1:9000\",\"http://127.0.0.1:8087\"]}",
						8087),
				new Entry("go-zero", "user.rpc", "user.rpc/" + lease, "127.0.0.1:8088", 8088));
	}

	private static String gone(String name, int port, boolean healthy, String weight) {
		String json = "{\"name\":\"" + name + "\",\"ip\":\"127.0.0.1\",\"port\":" + port + ",\"meta\":null,\"healthy\":"
				+ healthy + ",\"weight\":" + weight + "}";
		return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

	private record Entry(String format, String service, String key, String value, int port) {

		@Override
		public String toString() {
			return Map.of(this.format, this.key).toString();
		}

	}

}
