package io.github.etcdspring.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.zookeeper.serviceregistry.ServiceInstanceRegistration;

/**
 * ZooKeeper and Spring Cloud Zookeeper, for {@link PeerBenchmark}. Its floor is the plain
 * ZooKeeper client that Curator wraps: ephemeral nodes of a session with the same
 * {@value EtcdPeerStore#TTL_SECONDS} s timeout as the etcd lease, and persistent
 * recursive watches.
 *
 * @author etcd-spring-boot contributors
 */
final class ZookeeperPeerStore implements PeerStore {

	private static final int SESSION_TIMEOUT_MILLIS = (int) TimeUnit.SECONDS.toMillis(EtcdPeerStore.TTL_SECONDS);

	private final BenchmarkZookeeper zookeeper;

	private final ZooKeeper writer;

	private final ZooKeeper watcher;

	private final Set<String> parents = ConcurrentHashMap.newKeySet();

	private ZookeeperPeerStore(BenchmarkZookeeper zookeeper) {
		this.zookeeper = zookeeper;
		this.writer = connect(zookeeper.connectString());
		this.watcher = connect(zookeeper.connectString());
	}

	static ZookeeperPeerStore start() {
		BenchmarkZookeeper zookeeper = BenchmarkZookeeper.start();
		try {
			return new ZookeeperPeerStore(zookeeper);
		}
		catch (RuntimeException ex) {
			zookeeper.close();
			throw ex;
		}
	}

	@Override
	public String label() {
		return "Spring Cloud Zookeeper";
	}

	@Override
	public List<String> arguments(String name) {
		return List.of("--spring.cloud.zookeeper.enabled=true", "--spring.cloud.zookeeper.config.enabled=true",
				"--spring.cloud.zookeeper.connect-string=" + this.zookeeper.connectString(),
				"--spring.cloud.zookeeper.session-timeout=" + EtcdPeerStore.TTL_SECONDS + "s",
				"--spring.config.import=zookeeper:", "--spring.cloud.zookeeper.discovery.instance-host=127.0.0.1",
				"--etcd.enabled=false");
	}

	@Override
	public String foreignPackage() {
		return "io.github.etcdspring";
	}

	@Override
	public Registration registration(String serviceId, int port) {
		return ServiceInstanceRegistration.builder()
			.defaultUriSpec()
			.address("127.0.0.1")
			.port(port)
			.name(serviceId)
			.id("127.0.0.1:" + port)
			.build();
	}

	@Override
	public CompletableFuture<Void> create(String serviceId, String instanceId, byte[] value) {
		if (this.parents.add(serviceId)) {
			createPersistent(floorPath(serviceId), new byte[0]);
		}
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.writer.create(floorPath(serviceId) + "/" + instanceId, value, ZooDefs.Ids.OPEN_ACL_UNSAFE,
				CreateMode.EPHEMERAL, (rc, path, context, name) -> complete(done, rc, path), null);
		return done;
	}

	@Override
	public CompletableFuture<Void> delete(String serviceId, String instanceId) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.writer.delete(floorPath(serviceId) + "/" + instanceId, -1, (rc, path, context) -> complete(done, rc, path),
				null);
		return done;
	}

	@Override
	public AutoCloseable watchInstances(String serviceId, Consumer<String> created) {
		String parent = floorPath(serviceId);
		createPersistent(parent, new byte[0]);
		return watch(parent, Watcher.Event.EventType.NodeCreated, created);
	}

	/**
	 * Write a property as Spring Cloud Zookeeper reads it: the node
	 * {@code /config/<name>/bench/value} for {@code bench.value}, created with its
	 * parents when missing, otherwise set.
	 */
	@Override
	public CompletableFuture<Void> writeConfig(String name, String property, String value) {
		String path = configPath(name) + "/" + property.replace('.', '/');
		byte[] data = value.getBytes(StandardCharsets.UTF_8);
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.writer.setData(path, data, -1, (rc, setPath, context, stat) -> {
			if (rc == KeeperException.Code.NONODE.intValue()) {
				try {
					createPersistent(path, data);
					done.complete(null);
				}
				catch (RuntimeException ex) {
					done.completeExceptionally(ex);
				}
			}
			else {
				complete(done, rc, setPath);
			}
		}, null);
		return done;
	}

	@Override
	public AutoCloseable watchConfig(String name, Consumer<String> changed) {
		String prefix = configPath(name);
		createPersistent(prefix, new byte[0]);
		return watch(prefix, Watcher.Event.EventType.NodeDataChanged, changed);
	}

	/**
	 * A persistent recursive watch that reports, for each event of the type, the path
	 * below {@code parent} with {@code /} as {@code .}.
	 */
	private AutoCloseable watch(String parent, Watcher.Event.EventType type, Consumer<String> path) {
		Watcher watch = (WatchedEvent event) -> {
			if (event.getType() == type && event.getPath() != null && event.getPath().startsWith(parent + "/")) {
				path.accept(event.getPath().substring(parent.length() + 1).replace('/', '.'));
			}
		};
		try {
			this.watcher.addWatch(parent, watch, AddWatchMode.PERSISTENT_RECURSIVE);
		}
		catch (KeeperException ex) {
			throw new IllegalStateException("Could not watch " + parent + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while watching " + parent, ex);
		}
		return () -> this.watcher.removeWatches(parent, watch, Watcher.WatcherType.Any, true);
	}

	private static String floorPath(String serviceId) {
		return "/floor/" + serviceId;
	}

	private static String configPath(String name) {
		return "/config/" + name;
	}

	/**
	 * Create a persistent node and its missing parents; an existing node is left as it
	 * is.
	 */
	private void createPersistent(String path, byte[] data) {
		int slash = path.lastIndexOf('/');
		if (slash > 0) {
			createPersistent(path.substring(0, slash), new byte[0]);
		}
		try {
			this.writer.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
		}
		catch (KeeperException.NodeExistsException ex) {
			// created before
		}
		catch (KeeperException ex) {
			throw new IllegalStateException("Could not create " + path + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while creating " + path, ex);
		}
	}

	private static void complete(CompletableFuture<Void> done, int rc, String path) {
		if (rc == KeeperException.Code.OK.intValue()) {
			done.complete(null);
		}
		else {
			done.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc), path));
		}
	}

	private static ZooKeeper connect(String connectString) {
		CompletableFuture<Void> connected = new CompletableFuture<>();
		try {
			ZooKeeper client = new ZooKeeper(connectString, SESSION_TIMEOUT_MILLIS, (event) -> {
				if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
					connected.complete(null);
				}
			});
			PeerSide.join(connected);
			return client;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		try {
			this.watcher.close();
			this.writer.close();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.zookeeper.close();
		}
	}

}
