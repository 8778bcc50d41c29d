package io.github.etcdspring.format.polyglot;

import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.RegistryFormat;

import org.springframework.util.Assert;

/**
 * The registry formats of the Go registries, each a layout and a codec that read and
 * write exactly what the Go library does, with the library's own default prefix
 * ({@code etcd.formats.<name>.prefix} moves it).
 *
 * @author etcd-spring-boot contributors
 */
public enum PolyglotFormat {

	/**
	 * kitex-contrib/registry-etcd: {@code kitex/registry-etcd/{svc}/{host:port}}, JSON.
	 */
	KITEX(KitexCodec.NAME, "kitex/registry-etcd", true),

	/**
	 * go-kit sd/etcdv3: {@code /services/{svc}/{host:port}}, {@code http://host:port}.
	 */
	GOKIT(GoKitCodec.NAME, "/services", false),

	/** Gone's goner/etcd: {@code {name}-{ip}:{port}} at the root, base64 of JSON. */
	GONE(GoneCodec.NAME, "", true),

	/** go-core: {@code /go-core/services/{name}/{id}}, JSON. */
	GO_CORE(GoCoreCodec.NAME, "/go-core", true),

	/** etcd's gRPC naming: {@code {target}/{addr}} at the root, JSON. */
	GRPC_NAMING(GrpcNamingCodec.NAME, "", true),

	/** Kratos: {@code /microservices/{name}/{id}}, JSON with endpoint URLs. */
	KRATOS(KratosCodec.NAME, "/microservices", true),

	/** go-zero core/discov: {@code {key}/{lease id}} at the root, {@code host:port}. */
	GO_ZERO(GoZeroCodec.NAME, "", false);

	private final String formatName;

	private final String defaultPrefix;

	private final boolean json;

	PolyglotFormat(String formatName, String defaultPrefix, boolean json) {
		this.formatName = formatName;
		this.defaultPrefix = defaultPrefix;
		this.json = json;
	}

	/**
	 * The name in configuration and in the {@code etcd.format} metadata of the instances
	 * read, e.g. {@code go-zero}.
	 * @return the name
	 */
	public String formatName() {
		return this.formatName;
	}

	/**
	 * The Go library's default prefix; empty for the root of the keyspace.
	 * @return the prefix
	 */
	public String defaultPrefix() {
		return this.defaultPrefix;
	}

	/**
	 * Whether the format's values are JSON, read and written with Jackson.
	 * @return whether it needs Jackson
	 */
	public boolean needsJackson() {
		return this.json;
	}

	/**
	 * The format under a prefix.
	 * @param prefix the prefix, empty for the root of the keyspace; it must not end with
	 * '/' nor hold an empty segment, whitespace or control characters
	 * @return the format
	 * @throws IllegalArgumentException when the prefix is invalid
	 */
	public RegistryFormat create(String prefix) {
		// a switch, so that the JSON codecs are loaded only when used
		return switch (this) {
			case KITEX -> RegistryFormat.of(
					new DirectoryKeyLayout(prefix,
							(instance) -> new HostPort(instance.getHost(), instance.getPort()).bare()),
					new KitexCodec());
			case GOKIT -> RegistryFormat.of(
					new DirectoryKeyLayout(prefix,
							(instance) -> new HostPort(instance.getHost(), instance.getPort()).joined()),
					new GoKitCodec());
			case GONE -> RegistryFormat.of(new GoneKeyLayout(prefix), new GoneCodec());
			case GO_CORE -> RegistryFormat.of(new DirectoryKeyLayout(ForeignKeyLayout.checkPrefix(prefix) + "/services",
					EtcdServiceInstance::getInstanceId), new GoCoreCodec());
			case GRPC_NAMING -> RegistryFormat.of(
					new TrailingIdKeyLayout(prefix, (id) -> !id.isEmpty(),
							(instance, lease) -> new HostPort(instance.getHost(), instance.getPort()).joined()),
					new GrpcNamingCodec());
			case KRATOS -> RegistryFormat.of(new DirectoryKeyLayout(prefix, EtcdServiceInstance::getInstanceId),
					new KratosCodec());
			case GO_ZERO ->
				RegistryFormat.of(new TrailingIdKeyLayout(prefix, PolyglotFormat::isDecimal, (instance, lease) -> {
					Assert.isTrue(lease > 0, "A go-zero key is named after its lease, which must be granted");
					return Long.toString(lease);
				}), new GoZeroCodec());
		};
	}

	private static boolean isDecimal(String id) {
		return !id.isEmpty() && id.length() <= 19 && id.chars().allMatch((c) -> c >= '0' && c <= '9');
	}

}
