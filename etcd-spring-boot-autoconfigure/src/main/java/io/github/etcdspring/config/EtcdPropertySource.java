package io.github.etcdspring.config;

import java.util.Collections;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.env.EnumerablePropertySource;

/**
 * The properties of one {@link EtcdConfigContext} as read at one etcd revision.
 * Immutable: a change in etcd is applied by replacing the source on refresh.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdPropertySource extends EnumerablePropertySource<Map<String, Object>> implements OriginLookup<String> {

	private final EtcdConfigContext context;

	private final long revision;

	private final String[] propertyNames;

	/**
	 * Create a source.
	 * @param context the context read
	 * @param properties property names to values, possibly {@link OriginTrackedValue}s
	 * @param revision the etcd revision read, or 0 when etcd could not be read (an
	 * optional import)
	 */
	public EtcdPropertySource(EtcdConfigContext context, Map<String, Object> properties, long revision) {
		super(context.propertySourceName(), Collections.unmodifiableMap(properties));
		this.context = context;
		this.revision = revision;
		this.propertyNames = properties.keySet().toArray(String[]::new);
	}

	/**
	 * A placeholder for a context that could not be read, so that it is watched and
	 * loaded once etcd answers.
	 * @param context the context
	 * @return an empty source at revision 0
	 */
	public static EtcdPropertySource notLoaded(EtcdConfigContext context) {
		return new EtcdPropertySource(context, Map.of(), 0);
	}

	public EtcdConfigContext getContext() {
		return this.context;
	}

	/**
	 * The revision the context was read at.
	 * @return the revision, or 0 if it could not be read
	 */
	public long getRevision() {
		return this.revision;
	}

	public boolean isLoaded() {
		return this.revision > 0;
	}

	@Override
	public String[] getPropertyNames() {
		return this.propertyNames.clone();
	}

	@Override
	public @Nullable Object getProperty(String name) {
		Object value = this.source.get(name);
		return (value instanceof OriginTrackedValue tracked) ? tracked.getValue() : value;
	}

	@Override
	public boolean containsProperty(String name) {
		return this.source.containsKey(name);
	}

	@Override
	public @Nullable Origin getOrigin(String name) {
		Object value = this.source.get(name);
		return (value instanceof OriginTrackedValue tracked) ? tracked.getOrigin() : null;
	}

}
