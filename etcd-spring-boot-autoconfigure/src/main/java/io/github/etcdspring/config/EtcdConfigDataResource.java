package io.github.etcdspring.config;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.config.ConfigDataResource;

/**
 * The contexts of one {@code etcd:} import, read together so that they reflect one etcd
 * revision.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdConfigDataResource extends ConfigDataResource {

	private final List<EtcdConfigContext> contexts;

	private final boolean optional;

	private final boolean failFast;

	private final boolean overrideLocal;

	EtcdConfigDataResource(List<EtcdConfigContext> contexts, boolean optional, EtcdConfigProperties properties) {
		super(optional);
		this.contexts = List.copyOf(contexts);
		this.optional = optional;
		this.failFast = properties.isFailFast();
		this.overrideLocal = properties.isOverrideLocal();
	}

	/**
	 * The contexts, lowest precedence first.
	 * @return the contexts
	 */
	public List<EtcdConfigContext> getContexts() {
		return this.contexts;
	}

	boolean isImportOptional() {
		return this.optional;
	}

	boolean isFailFast() {
		return this.failFast;
	}

	boolean isOverrideLocal() {
		return this.overrideLocal;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof EtcdConfigDataResource resource && this.contexts.equals(resource.contexts)
				&& this.optional == resource.optional;
	}

	@Override
	public int hashCode() {
		return this.contexts.hashCode();
	}

	@Override
	public String toString() {
		return "etcd contexts " + this.contexts;
	}

}
