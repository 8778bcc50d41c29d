package io.github.etcdspring.format.polyglot;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the Go registry formats, {@code etcd.formats.<format>.*}, under
 * {@code etcd.namespace}. Each default is the Go library's own.
 *
 * @author etcd-spring-boot contributors
 */
@ConfigurationProperties(EtcdFormatsProperties.PREFIX)
public class EtcdFormatsProperties {

	public static final String PREFIX = "etcd.formats";

	/**
	 * Kitex (kitex-contrib/registry-etcd): keys {prefix}/{service}/{host:port}.
	 */
	private final Format kitex = Format.defaultOf(PolyglotFormat.KITEX);

	/**
	 * go-kit (sd/etcdv3): keys {prefix}/{service}/{host:port}.
	 */
	private final Format gokit = Format.defaultOf(PolyglotFormat.GOKIT);

	/**
	 * Gone (goner/etcd): keys {name}-{ip}:{port}, at the root unless a prefix is set.
	 */
	private final Format gone = Format.defaultOf(PolyglotFormat.GONE);

	/**
	 * go-core: keys {prefix}/services/{name}/{id}.
	 */
	private final Format goCore = Format.defaultOf(PolyglotFormat.GO_CORE);

	/**
	 * etcd's gRPC naming: keys {target}/{addr}, at the root unless a prefix is set.
	 */
	private final Format grpcNaming = Format.defaultOf(PolyglotFormat.GRPC_NAMING);

	/**
	 * Kratos: keys {prefix}/{name}/{id}.
	 */
	private final Format kratos = Format.defaultOf(PolyglotFormat.KRATOS);

	/**
	 * go-zero (core/discov): keys {key}/{lease id}, at the root unless a prefix is set.
	 */
	private final Format goZero = Format.defaultOf(PolyglotFormat.GO_ZERO);

	public Format getKitex() {
		return this.kitex;
	}

	public Format getGokit() {
		return this.gokit;
	}

	public Format getGone() {
		return this.gone;
	}

	public Format getGoCore() {
		return this.goCore;
	}

	public Format getGrpcNaming() {
		return this.grpcNaming;
	}

	public Format getKratos() {
		return this.kratos;
	}

	public Format getGoZero() {
		return this.goZero;
	}

	/**
	 * The settings of a format.
	 * @param format the format
	 * @return its settings
	 */
	public Format get(PolyglotFormat format) {
		return switch (format) {
			case KITEX -> this.kitex;
			case GOKIT -> this.gokit;
			case GONE -> this.gone;
			case GO_CORE -> this.goCore;
			case GRPC_NAMING -> this.grpcNaming;
			case KRATOS -> this.kratos;
			case GO_ZERO -> this.goZero;
		};
	}

	/**
	 * The settings of one format.
	 */
	public static class Format {

		/**
		 * Root of the format's keys, joined to the rest with '/'. Empty for the root of
		 * the keyspace. Must not end with '/' nor hold '//', whitespace or control
		 * characters.
		 */
		private String prefix = "";

		static Format defaultOf(PolyglotFormat format) {
			Format settings = new Format();
			settings.setPrefix(format.defaultPrefix());
			return settings;
		}

		public String getPrefix() {
			return this.prefix;
		}

		public void setPrefix(String prefix) {
			this.prefix = prefix;
		}

	}

}
