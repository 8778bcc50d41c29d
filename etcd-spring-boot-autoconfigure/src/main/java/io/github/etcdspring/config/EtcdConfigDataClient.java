package io.github.etcdspring.config;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.github.etcdspring.client.EtcdClientBuilderConfigurer;
import io.github.etcdspring.client.EtcdConnectionDetails;
import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.client.EtcdFirstConnection;
import io.github.etcdspring.client.EtcdProperties;
import io.github.etcdspring.client.PropertiesEtcdConnectionDetails;
import io.github.etcdspring.embedded.EmbeddedEtcd;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.ssl.JksSslBundleProperties;
import org.springframework.boot.autoconfigure.ssl.PemSslBundleProperties;
import org.springframework.boot.autoconfigure.ssl.PropertiesSslBundle;
import org.springframework.boot.autoconfigure.ssl.SslProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;

/**
 * The etcd client that reads configuration while the environment is prepared, before the
 * application context and its {@link Client} bean exist. Built from the same
 * {@code etcd.*} properties and SSL bundles ({@code spring.ssl.bundle.*}) as that bean;
 * {@code EtcdClientBuilderCustomizer} beans do not apply to it.
 * <p>
 * It keeps the {@link #getStartupLoads() reads of the startup} for the {@code etcd}
 * endpoint, and observes them as {@code etcd.config.load} with the
 * {@link ObservationRegistry} of the bootstrap context, if one was registered there: the
 * application's registry does not exist yet.
 *
 * @author etcd-spring-boot contributors
 */
public final class EtcdConfigDataClient implements AutoCloseable {

	private final Client client;

	private final List<URI> endpoints;

	private final Duration requestTimeout;

	private final @Nullable EmbeddedEtcd embeddedEtcd;

	private final EtcdConfigProperties.Limits limits;

	/**
	 * The first read waits for the client's connection up to etcd.dial-timeout.
	 */
	private final EtcdFirstConnection firstConnection;

	private volatile boolean connected;

	/**
	 * The sources last read for each import, so that a refresh that cannot read etcd
	 * keeps them.
	 */
	private final Map<List<EtcdConfigContext>, List<EtcdPropertySource>> lastRead = new ConcurrentHashMap<>();

	/**
	 * Whether the application context has taken the client over: every later read is a
	 * refresh, which must never close the client or stop the local etcd, whatever it
	 * reads.
	 */
	private volatile boolean started;

	private final ObservationRegistry observations;

	private final List<StartupLoad> startupLoads = new CopyOnWriteArrayList<>();

	private EtcdConfigDataClient(Client client, List<URI> endpoints, Duration requestTimeout,
			@Nullable EmbeddedEtcd embeddedEtcd, EtcdConfigProperties.Limits limits,
			EtcdFirstConnection firstConnection, ObservationRegistry observations) {
		this.client = client;
		this.endpoints = endpoints;
		this.requestTimeout = requestTimeout;
		this.embeddedEtcd = embeddedEtcd;
		this.limits = limits;
		this.firstConnection = firstConnection;
		this.observations = observations;
	}

	/**
	 * Build a client from the configuration bound so far.
	 * @param binder the binder of the environment being prepared
	 * @param embeddedEtcd the local etcd to connect to instead of etcd.endpoints, or
	 * {@code null}
	 * @param observations where to observe the reads at startup
	 * @return the client
	 */
	static EtcdConfigDataClient create(Binder binder, @Nullable EmbeddedEtcd embeddedEtcd,
			ObservationRegistry observations) {
		EtcdProperties properties = binder.bind(EtcdProperties.PREFIX, EtcdProperties.class)
			.orElseGet(EtcdProperties::new);
		EtcdConfigProperties.Limits limits = binder
			.bind(EtcdConfigProperties.PREFIX + ".limits", EtcdConfigProperties.Limits.class)
			.orElseGet(EtcdConfigProperties.Limits::new);
		DocumentLimits.of(limits); // a bad limit fails here, naming its property, not as
									// a failed read
		EtcdConnectionDetails connectionDetails = (embeddedEtcd != null) ? () -> List.of(embeddedEtcd.getClientUrl())
				: new PropertiesEtcdConnectionDetails(properties, sslBundles(binder, properties.getSsl().getBundle()));
		ClientBuilder builder = new EtcdClientBuilderConfigurer(properties, connectionDetails)
			.configure(Client.builder());
		EtcdFirstConnection firstConnection = EtcdFirstConnection.startingNow(properties.getDialTimeout());
		return new EtcdConfigDataClient(builder.build(), connectionDetails.getEndpoints(),
				properties.getRequestTimeout(), embeddedEtcd, limits, firstConnection, observations);
	}

	/**
	 * Read contexts, applying the failure policy of an import. The first read of the
	 * contexts happens at startup and waits for a connection up to etcd.dial-timeout
	 * before it reports etcd unreachable; later ones, on refresh, keep the configuration
	 * in force whenever the new one cannot be read.
	 * @param contexts the contexts
	 * @param optional whether the import is optional: an unreachable etcd or a malformed
	 * document is then logged and skipped
	 * @param failFast whether an unreachable etcd stops the startup of a required import
	 * @param logger where to report what was skipped
	 * @return one source per context, lowest precedence first; empty placeholders,
	 * watched until etcd answers, when etcd could not be read at startup
	 * @throws EtcdConfigDataException when etcd could not be read at startup for a
	 * required import
	 * @throws MalformedConfigurationException when a document of a required import is
	 * malformed at startup
	 */
	public List<EtcdPropertySource> load(List<EtcdConfigContext> contexts, boolean optional, boolean failFast,
			Log logger) {
		List<EtcdPropertySource> inForce = this.lastRead.get(contexts);
		if (inForce != null || this.started) {
			// contexts first imported by a refresh, or not read at startup, are not
			// loaded until etcd answers
			return reload(contexts, (inForce != null) ? inForce : notLoaded(contexts), logger);
		}
		long startedAt = System.nanoTime();
		try {
			awaitFirstConnection();
			List<MalformedConfigurationException> skipped = new ArrayList<>();
			List<EtcdPropertySource> sources = ConfigRefreshObserver.observeLoad(this.observations, "startup",
					() -> read(contexts, optional, logger, skipped), skipped::size);
			this.lastRead.put(contexts, sources);
			this.startupLoads.add(new StartupLoad(contexts, sources.get(0).getRevision(), Instant.now(),
					Duration.ofNanos(System.nanoTime() - startedAt), skipped.size()));
			return sources;
		}
		catch (MalformedConfigurationException ex) {
			closeBeforeFailing();
			throw ex;
		}
		catch (TimeoutException | RuntimeException ex) {
			EtcdConfigDataException failure = new EtcdConfigDataException(this.endpoints, contexts, EtcdFailure.of(ex),
					EtcdFailure.messageOf(ex), ex);
			if (optional || !failFast) {
				logger.warn(failure.getMessage() + "; starting without them and loading them once etcd answers");
				this.startupLoads.add(new StartupLoad(contexts, 0, Instant.now(),
						Duration.ofNanos(System.nanoTime() - startedAt), 0));
				return notLoaded(contexts);
			}
			closeBeforeFailing();
			throw failure;
		}
	}

	/**
	 * A refresh: whatever goes wrong, the configuration in force stays, and the watch
	 * tries again.
	 */
	private List<EtcdPropertySource> reload(List<EtcdConfigContext> contexts, List<EtcdPropertySource> inForce,
			Log logger) {
		try {
			List<EtcdPropertySource> sources = read(contexts, false, logger, new ArrayList<>());
			this.lastRead.put(contexts, sources);
			return sources;
		}
		catch (RuntimeException ex) {
			// a malformed document's own message names the key
			String reason = (ex instanceof MalformedConfigurationException) ? ex.getMessage()
					: EtcdFailure.messageOf(ex);
			logger.warn("Could not read etcd configuration contexts " + contexts + " again (" + reason + "); keeping "
					+ (inForce.get(0).isLoaded() ? "the configuration read at revision " + inForce.get(0).getRevision()
							: "the configuration in force"));
			return inForce;
		}
	}

	/**
	 * The application context has taken the client over (called when the bootstrap
	 * context closes), or the client reads for a refresh.
	 */
	void startupCompleted() {
		this.started = true;
	}

	private static List<EtcdPropertySource> notLoaded(List<EtcdConfigContext> contexts) {
		return contexts.stream().map(EtcdPropertySource::notLoaded).toList();
	}

	private void awaitFirstConnection() throws TimeoutException {
		if (!this.connected) {
			this.firstConnection.await(this.client, this.requestTimeout);
			this.connected = true;
		}
	}

	/**
	 * The reads of the imports at startup, in order.
	 * @return the reads
	 */
	public List<StartupLoad> getStartupLoads() {
		return List.copyOf(this.startupLoads);
	}

	private List<EtcdPropertySource> read(List<EtcdConfigContext> contexts, boolean skipMalformed, Log logger,
			List<MalformedConfigurationException> skipped) {
		return new EtcdConfigReader(this.client, this.requestTimeout, this.limits).read(contexts,
				skipMalformed ? (malformed) -> {
					logger.warn("Skipping optional etcd configuration: " + malformed.getMessage());
					skipped.add(malformed);
				} : null);
	}

	/**
	 * The startup is about to fail before the application context, which would close the
	 * client and stop the local etcd, exists.
	 */
	private void closeBeforeFailing() {
		this.client.close();
		if (this.embeddedEtcd != null) {
			this.embeddedEtcd.destroy();
		}
	}

	@Override
	public void close() {
		this.client.close();
	}

	/**
	 * The SSL bundles of {@code spring.ssl.bundle.*}, built ahead of the SslBundles bean;
	 * only the one named by {@code etcd.ssl.bundle} is needed.
	 */
	private static @Nullable DefaultSslBundleRegistry sslBundles(Binder binder, @Nullable String name) {
		if (name == null) {
			return null;
		}
		SslProperties.Bundles bundles = binder.bind("spring.ssl.bundle", Bindable.of(SslProperties.Bundles.class))
			.orElseGet(SslProperties.Bundles::new);
		DefaultSslBundleRegistry registry = new DefaultSslBundleRegistry();
		PemSslBundleProperties pem = bundles.getPem().get(name);
		JksSslBundleProperties jks = bundles.getJks().get(name);
		if (pem != null) {
			registry.registerBundle(name, PropertiesSslBundle.get(pem));
		}
		else if (jks != null) {
			registry.registerBundle(name, PropertiesSslBundle.get(jks));
		}
		return registry;
	}

	/**
	 * A read of an import at startup.
	 *
	 * @param contexts the contexts read
	 * @param revision the etcd revision read, or 0 when etcd could not be read and the
	 * application started without them
	 * @param time when the read ended
	 * @param duration how long the read took, waiting for the first connection included
	 * @param rejectedDocuments the documents of an optional import that did not parse,
	 * and were skipped
	 */
	public record StartupLoad(List<EtcdConfigContext> contexts, long revision, Instant time, Duration duration,
			int rejectedDocuments) {

	}

}
