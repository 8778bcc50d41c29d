package io.github.etcdspring.config;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of distributed configuration: where it lives in etcd, how it is stored, and
 * how changes are followed. Read at startup from the local configuration
 * (application.yaml, the command line, the environment).
 *
 * @author etcd-spring-boot contributors
 */
@ConfigurationProperties(EtcdConfigProperties.PREFIX)
public class EtcdConfigProperties {

	public static final String PREFIX = "etcd.config";

	/**
	 * Whether configuration is imported from etcd ('spring.config.import=etcd:' or the
	 * bootstrap context).
	 */
	private boolean enabled = true;

	/**
	 * Key prefix of the automatic contexts, under etcd.namespace.
	 */
	private String prefix = "config";

	/**
	 * Context shared by all applications: {prefix}/{default-context}.
	 */
	private String defaultContext = "application";

	/**
	 * Context of this application: {prefix}/{name}. Defaults to spring.application.name.
	 */
	private @Nullable String name;

	/**
	 * Separator between a context and a profile, as in {prefix}/{name},{profile}.
	 * Defaults to ',' for contexts that are folders and to '-' for the FILES format,
	 * where keys look like application file names ({prefix}/payments-dev.yaml).
	 */
	private @Nullable String profileSeparator;

	/**
	 * How configuration is stored under a context.
	 */
	private EtcdConfigFormat format = EtcdConfigFormat.KEY_VALUE;

	/**
	 * Key under a context that holds its document, for the YAML, PROPERTIES and JSON
	 * formats.
	 */
	private String dataKey = "data";

	/**
	 * Whether startup fails when etcd cannot be read and the import is not 'optional:'.
	 * When false, the application starts without the configuration and picks it up once
	 * etcd answers.
	 */
	private boolean failFast = true;

	/**
	 * Whether configuration from etcd overrides local configuration files
	 * (application.yaml and its profile variants). When false, local files win and etcd
	 * only fills in what they leave out. Command-line arguments, system properties and
	 * environment variables win either way.
	 */
	private boolean overrideLocal = true;

	private final ImportCheck importCheck = new ImportCheck();

	private final Watch watch = new Watch();

	private final Limits limits = new Limits();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPrefix() {
		return this.prefix;
	}

	public void setPrefix(String prefix) {
		this.prefix = prefix;
	}

	public String getDefaultContext() {
		return this.defaultContext;
	}

	public void setDefaultContext(String defaultContext) {
		this.defaultContext = defaultContext;
	}

	public @Nullable String getName() {
		return this.name;
	}

	public void setName(@Nullable String name) {
		this.name = name;
	}

	public @Nullable String getProfileSeparator() {
		return this.profileSeparator;
	}

	public void setProfileSeparator(@Nullable String profileSeparator) {
		this.profileSeparator = profileSeparator;
	}

	public EtcdConfigFormat getFormat() {
		return this.format;
	}

	public void setFormat(EtcdConfigFormat format) {
		this.format = format;
	}

	public String getDataKey() {
		return this.dataKey;
	}

	public void setDataKey(String dataKey) {
		this.dataKey = dataKey;
	}

	public boolean isFailFast() {
		return this.failFast;
	}

	public void setFailFast(boolean failFast) {
		this.failFast = failFast;
	}

	public boolean isOverrideLocal() {
		return this.overrideLocal;
	}

	public void setOverrideLocal(boolean overrideLocal) {
		this.overrideLocal = overrideLocal;
	}

	public ImportCheck getImportCheck() {
		return this.importCheck;
	}

	public Watch getWatch() {
		return this.watch;
	}

	public Limits getLimits() {
		return this.limits;
	}

	public static class ImportCheck {

		/**
		 * Whether startup fails, with an explanation, when etcd.config.* is set but no
		 * 'etcd:' import is declared in spring.config.import.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	public static class Watch {

		/**
		 * Whether changes in etcd refresh the application (@RefreshScope beans
		 * and @ConfigurationProperties).
		 */
		private boolean enabled = true;

		/**
		 * How a change is applied: 'in-place' updates the etcd property sources from the
		 * one read of the watcher and publishes what Spring Cloud's ContextRefresher
		 * would (EnvironmentChangeEvent, then the refresh of @RefreshScope beans); 'full'
		 * publishes a RefreshEvent, so that Spring Cloud loads every config data source
		 * of the application again.
		 */
		private RefreshMode refreshMode = RefreshMode.IN_PLACE;

		/**
		 * Quiet period of refreshes: a change after a period without a refresh is applied
		 * at once; the changes that follow within it are applied together once they pause
		 * this long.
		 */
		private Duration delay = Duration.ofMillis(100);

		/**
		 * Longest time a refresh waits for a burst to end; changes that never pause are
		 * still applied this often.
		 */
		private Duration maxDelay = Duration.ofSeconds(1);

		/**
		 * How many of the last checks of a change in etcd (refreshed, unchanged, rejected
		 * or failed) the 'configuration' part of the etcd endpoint shows, from 1 to 1000.
		 */
		private int historySize = 20;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public RefreshMode getRefreshMode() {
			return this.refreshMode;
		}

		public void setRefreshMode(RefreshMode refreshMode) {
			this.refreshMode = refreshMode;
		}

		public Duration getDelay() {
			return this.delay;
		}

		public void setDelay(Duration delay) {
			this.delay = delay;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public int getHistorySize() {
			return this.historySize;
		}

		public void setHistorySize(int historySize) {
			this.historySize = historySize;
		}

	}

	/**
	 * How the watcher applies a change in etcd.
	 */
	public enum RefreshMode {

		/**
		 * Update the etcd property sources in place, from the watcher's read, and publish
		 * {@code EnvironmentChangeEvent} and refresh the {@code @RefreshScope} beans.
		 */
		IN_PLACE,

		/**
		 * Publish a {@code RefreshEvent}: Spring Cloud's {@code ContextRefresher} loads
		 * all the configuration again, reading etcd a second time.
		 */
		FULL

	}

	/**
	 * What a configuration document (YAML, JSON, PROPERTIES, FILES) read from etcd may
	 * ask of the parser. A document beyond a limit is rejected as malformed, naming its
	 * key.
	 */
	public static class Limits {

		/**
		 * Largest configuration document read from etcd.
		 */
		private DataSize maxDocumentSize = DataSize.ofMegabytes(1);

		/**
		 * Most properties one document may define, counting every value that YAML aliases
		 * repeat.
		 */
		private int maxProperties = 10_000;

		/**
		 * Deepest nesting of maps and lists in a YAML or JSON document.
		 */
		private int maxDepth = 50;

		/**
		 * Most aliases (*name) of maps and lists in a YAML document; each repeats a part
		 * of the document.
		 */
		private int maxAliases = 50;

		/**
		 * Longest property name a document may define.
		 */
		private int maxNameLength = 1024;

		public DataSize getMaxDocumentSize() {
			return this.maxDocumentSize;
		}

		public void setMaxDocumentSize(DataSize maxDocumentSize) {
			this.maxDocumentSize = maxDocumentSize;
		}

		public int getMaxProperties() {
			return this.maxProperties;
		}

		public void setMaxProperties(int maxProperties) {
			this.maxProperties = maxProperties;
		}

		public int getMaxDepth() {
			return this.maxDepth;
		}

		public void setMaxDepth(int maxDepth) {
			this.maxDepth = maxDepth;
		}

		public int getMaxAliases() {
			return this.maxAliases;
		}

		public void setMaxAliases(int maxAliases) {
			this.maxAliases = maxAliases;
		}

		public int getMaxNameLength() {
			return this.maxNameLength;
		}

		public void setMaxNameLength(int maxNameLength) {
			this.maxNameLength = maxNameLength;
		}

	}

}
