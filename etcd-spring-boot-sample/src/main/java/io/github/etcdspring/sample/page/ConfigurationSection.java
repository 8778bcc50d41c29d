package io.github.etcdspring.sample.page;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.etcdspring.config.EtcdConfigContext;
import io.github.etcdspring.config.EtcdConfigOperations;
import io.github.etcdspring.template.EtcdPrefixListener;
import io.github.etcdspring.template.EtcdPrefixSubscription;
import io.github.etcdspring.template.EtcdTemplate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.core.env.MapPropertySource;
import org.springframework.stereotype.Component;

/**
 * The configuration this application imports from etcd: the properties of each of its
 * contexts ({@code config/application/}, {@code config/etcd-sample/}, ...), read again
 * after each change under the context, seen by a prefix subscription of the
 * {@link EtcdTemplate}. Values that look like secrets (passwords, tokens, keys,
 * credentials, URIs with a password), and those the application's
 * {@link SanitizingFunction} beans mask, are shown as
 * {@value SanitizableData#SANITIZED_VALUE}.
 *
 * @author etcd-spring-boot contributors
 */
@Component
class ConfigurationSection implements PageSection {

	private static final Log logger = LogFactory.getLog(ConfigurationSection.class);

	private final EtcdConfigOperations operations;

	private final EtcdTemplate etcd;

	private final Sanitizer sanitizer;

	private final List<EtcdConfigContext> contexts;

	private final Map<EtcdConfigContext, Map<String, Object>> properties = new ConcurrentHashMap<>();

	private final List<EtcdPrefixSubscription> subscriptions = new CopyOnWriteArrayList<>();

	ConfigurationSection(EtcdConfigOperations operations, EtcdTemplate etcd,
			ObjectProvider<SanitizingFunction> sanitizingFunctions) {
		this.operations = operations;
		this.etcd = etcd;
		List<SanitizingFunction> functions = new ArrayList<>(sanitizingFunctions.orderedStream().toList());
		functions.add(SanitizingFunction.sanitizeValue().ifLikelySensitive());
		this.sanitizer = new Sanitizer(functions);
		this.contexts = operations.getContexts();
	}

	@Override
	public String name() {
		return "configuration";
	}

	@Override
	public List<Property> describe() {
		List<Property> described = new ArrayList<>();
		for (EtcdConfigContext context : this.contexts) {
			this.properties.getOrDefault(context, Map.of())
				.forEach((name, value) -> described.add(new Property(context.toString(), name, String.valueOf(value))));
		}
		return described;
	}

	@Override
	public void start(Runnable changed) {
		for (EtcdConfigContext context : this.contexts) {
			String prefix = context.isKeyValue() ? context.keyPrefix() : context.path();
			this.subscriptions.add(this.etcd.watchPrefix(prefix, new EtcdPrefixListener() {

				@Override
				public void onSnapshot(Map<String, byte[]> values, long revision) {
					read(context, changed);
				}

				@Override
				public void onChange(String key, byte @Nullable [] value, long revision) {
					read(context, changed);
				}

			}));
		}
	}

	@Override
	public void stop() {
		this.subscriptions.forEach(EtcdPrefixSubscription::close);
		this.subscriptions.clear();
	}

	/**
	 * Read a context's properties again, with the starter's own reader, whatever its
	 * format. A document that does not parse keeps the properties last shown.
	 */
	private void read(EtcdConfigContext context, Runnable changed) {
		Map<String, Object> read;
		try {
			read = this.operations.getProperties(context);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read the configuration context '" + context + "' for the registry page: "
					+ ex.getMessage());
			return;
		}
		MapPropertySource source = new MapPropertySource(context.propertySourceName(), read);
		Map<String, Object> shown = new TreeMap<>();
		read.forEach((name, value) -> shown.put(name,
				this.sanitizer.sanitize(new SanitizableData(source, name, value), true)));
		this.properties.put(context, shown);
		changed.run();
	}

	/**
	 * A property of a context.
	 *
	 * @param context the context, e.g. {@code config/etcd-sample/}
	 * @param name the property, e.g. {@code greeting.message}
	 * @param value its value, or {@value SanitizableData#SANITIZED_VALUE} when it looks
	 * like a secret
	 */
	record Property(String context, String name, String value) {
	}

}
