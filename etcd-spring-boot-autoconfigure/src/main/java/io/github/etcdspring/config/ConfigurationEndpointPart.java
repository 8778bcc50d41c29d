package io.github.etcdspring.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.etcdspring.endpoint.EtcdEndpointPart;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The {@code configuration} part of the {@code etcd} endpoint: the contexts the
 * environment holds with the revision each was read at, the last checks of the watcher
 * ({@link ConfigRefreshHistory}) and the last document it rejected. Names keys and
 * properties, never a value or a document's content.
 *
 * @author etcd-spring-boot contributors
 */
public final class ConfigurationEndpointPart implements EtcdEndpointPart {

	private final ConfigurableEnvironment environment;

	private final ConfigRefreshHistory history;

	private final List<EtcdConfigDataClient.StartupLoad> startupLoads;

	/**
	 * The part of an application.
	 * @param environment its environment
	 * @param history what its watcher did
	 * @param dataClient the client of its {@code etcd:} imports, {@code null} when it
	 * imports none (the bootstrap context loads the configuration)
	 */
	ConfigurationEndpointPart(ConfigurableEnvironment environment, ConfigRefreshHistory history,
			@Nullable EtcdConfigDataClient dataClient) {
		this.environment = environment;
		this.history = history;
		this.startupLoads = (dataClient != null) ? dataClient.getStartupLoads() : List.of();
	}

	@Override
	public String name() {
		return "configuration";
	}

	@Override
	public Configuration describe() {
		List<LoadedContext> contexts = EtcdPropertySources.find(this.environment.getPropertySources())
			.stream()
			.map(LoadedContext::of)
			.toList();
		List<Refresh> refreshes = new ArrayList<>(this.history.entries().stream().map(Refresh::of).toList());
		Collections.reverse(refreshes);
		ConfigRefreshHistory.Rejection rejection = this.history.lastRejection();
		return new Configuration(contexts, this.startupLoads.stream().map(Import::of).toList(), refreshes,
				(rejection != null) ? Rejected.of(rejection) : null, this.history.rejectedDocuments());
	}

	/**
	 * The part.
	 *
	 * @param contexts the etcd contexts of the environment, highest precedence first
	 * @param imports the reads of the {@code etcd:} imports at startup
	 * @param refreshes the last checks of a change, newest first
	 * @param lastRejected the last document rejected, {@code null} if none was
	 * @param rejectedDocuments how many times a read rejected a document since startup
	 */
	public record Configuration(List<LoadedContext> contexts, List<Import> imports, List<Refresh> refreshes,
			@Nullable Rejected lastRejected, long rejectedDocuments) {

	}

	/**
	 * A context of the environment.
	 *
	 * @param path its key path
	 * @param format how it is stored
	 * @param propertySource the name of its property source
	 * @param revision the etcd revision it was read at, {@code null} when etcd could not
	 * be read yet
	 * @param readAt when it was read, {@code null} when etcd could not be read yet
	 */
	public record LoadedContext(String path, String format, String propertySource, @Nullable Long revision,
			@Nullable String readAt) {

		static LoadedContext of(EtcdPropertySource source) {
			EtcdConfigContext context = source.getContext();
			boolean loaded = source.isLoaded();
			return new LoadedContext(context.path(), ConfigRefreshObserver.tag(context.format()), source.getName(),
					loaded ? source.getRevision() : null, loaded ? source.getReadAt().toString() : null);
		}

	}

	/**
	 * A read of an {@code etcd:} import at startup.
	 *
	 * @param contexts the paths of its contexts
	 * @param revision the etcd revision read, {@code null} when etcd could not be read
	 * @param time when the read ended
	 * @param durationMillis how long it took, waiting for the first connection included
	 * @param outcome {@code loaded}, {@code rejected} (an optional import skipped a
	 * document that did not parse) or {@code not-loaded} (etcd could not be read: the
	 * application started without them, and the watcher loads them once etcd answers)
	 */
	public record Import(List<String> contexts, @Nullable Long revision, String time, long durationMillis,
			String outcome) {

		static Import of(EtcdConfigDataClient.StartupLoad load) {
			boolean loaded = load.revision() > 0;
			String outcome = !loaded ? "not-loaded" : (load.rejectedDocuments() > 0) ? "rejected" : "loaded";
			return new Import(load.contexts().stream().map(EtcdConfigContext::path).toList(),
					loaded ? load.revision() : null, load.time().toString(), load.duration().toMillis(), outcome);
		}

	}

	/**
	 * A check of a change.
	 *
	 * @param time when it ended
	 * @param revision the etcd revision read
	 * @param mode {@code in-place} or {@code full}
	 * @param outcome {@code refreshed}, {@code unchanged}, {@code rejected} or
	 * {@code failed}
	 * @param durationMillis how long the read and the refresh took
	 * @param changedKeys the etcd keys changed, the first 100 in order
	 * @param changedKeyCount how many keys changed
	 * @param changedProperties the properties changed, the first 100 in order
	 * @param changedPropertyCount how many properties changed
	 */
	public record Refresh(String time, long revision, String mode, String outcome, long durationMillis,
			List<String> changedKeys, int changedKeyCount, List<String> changedProperties, int changedPropertyCount) {

		static Refresh of(ConfigRefreshHistory.Entry entry) {
			return new Refresh(entry.time().toString(), entry.revision(), ConfigRefreshObserver.tag(entry.mode()),
					ConfigRefreshObserver.tag(entry.outcome()), entry.duration().toMillis(), entry.changedKeys(),
					entry.changedKeyCount(), entry.changedProperties(), entry.changedPropertyCount());
		}

	}

	/**
	 * A rejected document.
	 *
	 * @param time when it was rejected
	 * @param revision the etcd revision read
	 * @param key its key
	 * @param reason why it was rejected, without its content
	 */
	public record Rejected(String time, long revision, String key, String reason) {

		static Rejected of(ConfigRefreshHistory.Rejection rejection) {
			return new Rejected(rejection.time().toString(), rejection.revision(), rejection.key(), rejection.reason());
		}

	}

}
