package io.github.etcdspring.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdspring.registry.EtcdRegistration;
import io.grpc.stub.StreamObserver;

import org.springframework.cloud.client.serviceregistry.Registration;

/**
 * etcd and this starter, for {@link PeerBenchmark}. Its floor is plain jetcd: puts bound
 * to a lease of {@value #TTL_SECONDS} s that is kept alive, like a registration's.
 *
 * @author etcd-spring-boot contributors
 */
final class EtcdPeerStore implements PeerStore {

	static final long TTL_SECONDS = 10;

	private final BenchmarkEtcd etcd;

	private final Client writer;

	private final Client watcher;

	private final long leaseId;

	private final CloseableClient keepAlive;

	private EtcdPeerStore(BenchmarkEtcd etcd) {
		this.etcd = etcd;
		this.writer = etcd.newClient();
		this.watcher = etcd.newClient();
		this.leaseId = PeerSide.join(this.writer.getLeaseClient().grant(TTL_SECONDS)).getID();
		this.keepAlive = this.writer.getLeaseClient().keepAlive(this.leaseId, new StreamObserver<>() {

			@Override
			public void onNext(LeaseKeepAliveResponse response) {
			}

			@Override
			public void onError(Throwable error) {
				System.err.println("The floor's etcd lease was lost: " + error);
			}

			@Override
			public void onCompleted() {
			}

		});
	}

	static EtcdPeerStore start() {
		return new EtcdPeerStore(BenchmarkEtcd.start());
	}

	@Override
	public String label() {
		return "etcd starter";
	}

	@Override
	public List<String> arguments(String name) {
		return List.of("--etcd.endpoints=" + this.etcd.endpoint(), "--etcd.keepalive-ttl=" + TTL_SECONDS + "s",
				"--spring.config.import=etcd:", "--service.host=127.0.0.1", "--spring.cloud.zookeeper.enabled=false",
				"--spring.cloud.zookeeper.config.enabled=false");
	}

	@Override
	public String foreignPackage() {
		return "org.springframework.cloud.zookeeper";
	}

	@Override
	public Registration registration(String serviceId, int port) {
		EtcdRegistration registration = new EtcdRegistration(serviceId, "127.0.0.1");
		registration.setPort(port);
		registration.setInstanceId("127.0.0.1:" + port);
		return registration;
	}

	@Override
	public CompletableFuture<Void> create(String serviceId, String instanceId, byte[] value) {
		return this.writer.getKVClient()
			.put(bytes("floor/" + serviceId + "/" + instanceId), ByteSequence.from(value),
					PutOption.builder().withLeaseId(this.leaseId).build())
			.thenApply((response) -> null);
	}

	@Override
	public CompletableFuture<Void> delete(String serviceId, String instanceId) {
		return this.writer.getKVClient()
			.delete(bytes("floor/" + serviceId + "/" + instanceId))
			.thenApply((response) -> null);
	}

	@Override
	public AutoCloseable watchInstances(String serviceId, Consumer<String> created) {
		String prefix = "floor/" + serviceId + "/";
		return watch(prefix, (key) -> created.accept(key.substring(prefix.length())));
	}

	@Override
	public CompletableFuture<Void> writeConfig(String name, String property, String value) {
		return this.writer.getKVClient()
			.put(bytes(configPrefix(name) + property.replace('.', '/')), bytes(value))
			.thenApply((response) -> null);
	}

	@Override
	public AutoCloseable watchConfig(String name, Consumer<String> changed) {
		String prefix = configPrefix(name);
		return watch(prefix, (key) -> changed.accept(key.substring(prefix.length()).replace('/', '.')));
	}

	private static String configPrefix(String name) {
		return "config/" + name + "/";
	}

	/**
	 * A prefix watch that reports the key of each put; returns once etcd created it.
	 */
	private Watch.Watcher watch(String prefix, Consumer<String> key) {
		CompletableFuture<Void> created = new CompletableFuture<>();
		Watch.Watcher watch = this.watcher.getWatchClient()
			.watch(bytes(prefix), WatchOption.builder().isPrefix(true).withCreateNotify(true).build(), (response) -> {
				if (response.isCreatedNotify()) {
					created.complete(null);
				}
				for (WatchEvent event : response.getEvents()) {
					if (event.getEventType() == WatchEvent.EventType.PUT) {
						key.accept(event.getKeyValue().getKey().toString(StandardCharsets.UTF_8));
					}
				}
			});
		PeerSide.join(created);
		return watch;
	}

	private static ByteSequence bytes(String value) {
		return ByteSequence.from(value, StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		this.keepAlive.close();
		this.watcher.close();
		this.writer.close();
		this.etcd.close();
	}

}
