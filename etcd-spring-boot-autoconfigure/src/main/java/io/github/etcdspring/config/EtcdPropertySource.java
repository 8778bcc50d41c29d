package io.github.etcdspring.config;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.env.EnumerablePropertySource;

/**
 * The properties of one {@link EtcdConfigContext} as read at one etcd revision. A full
 * refresh replaces the source; the watcher's in-place refresh {@link #update updates} it
 * where it stands in the environment, so that its place and wrappers (bootstrap sources)
 * stay. Readers always see the properties, names and revision of one read.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdPropertySource extends EnumerablePropertySource<Map<String, Object>> implements OriginLookup<String> {

	private final EtcdConfigContext context;

	private volatile Read read;

	/**
	 * Create a source.
	 * @param context the context read
	 * @param properties property names to values, possibly {@link OriginTrackedValue}s
	 * @param revision the etcd revision read, or 0 when etcd could not be read (an
	 * optional import)
	 */
	public EtcdPropertySource(EtcdConfigContext context, Map<String, Object> properties, long revision) {
		super(context.propertySourceName(), Map.of());
		this.context = context;
		this.read = new Read(properties, revision);
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
		return this.read.revision();
	}

	/**
	 * When the context was read.
	 * @return the time of the read, also for a context that could not be read
	 */
	public Instant getReadAt() {
		return this.read.readAt();
	}

	public boolean isLoaded() {
		return this.read.revision() > 0;
	}

	/**
	 * Take the properties and revision of a newer read of the same context.
	 * @param newer a source read from the same context
	 * @throws IllegalArgumentException if it was read from another context
	 */
	void update(EtcdPropertySource newer) {
		if (!newer.context.equals(this.context)) {
			throw new IllegalArgumentException("Cannot update " + this.context + " from " + newer.context);
		}
		this.read = newer.read;
	}

	/**
	 * The properties, as of the latest read.
	 * @return property names to values, possibly {@link OriginTrackedValue}s
	 */
	@Override
	public Map<String, Object> getSource() {
		return this.read.properties();
	}

	@Override
	public String[] getPropertyNames() {
		return this.read.names().clone();
	}

	@Override
	public @Nullable Object getProperty(String name) {
		Object value = this.read.properties().get(name);
		return (value instanceof OriginTrackedValue tracked) ? tracked.getValue() : value;
	}

	@Override
	public boolean containsProperty(String name) {
		return this.read.properties().containsKey(name);
	}

	@Override
	public @Nullable Origin getOrigin(String name) {
		Object value = this.read.properties().get(name);
		return (value instanceof OriginTrackedValue tracked) ? tracked.getOrigin() : null;
	}

	private record Read(Map<String, Object> properties, String[] names, long revision, Instant readAt) {

		Read(Map<String, Object> properties, long revision) {
			this(Collections.unmodifiableMap(properties), properties.keySet().toArray(String[]::new), revision,
					Instant.now());
		}

	}

}
