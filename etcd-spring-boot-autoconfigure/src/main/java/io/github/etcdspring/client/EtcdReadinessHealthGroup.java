package io.github.etcdspring.client;

import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.core.env.Environment;

/**
 * Adds the etcd health indicators ({@code etcd} and {@code etcdRegistration}) to the
 * {@code readiness} group of the availability probes, never to {@code liveness}: an etcd
 * outage takes the instance out of traffic, but does not get it restarted.
 * <p>
 * The group is left as it is when the application chose its members itself
 * ({@code management.endpoint.health.group.readiness.include} or {@code exclude}), or
 * when there is no readiness group (probes off). It must run after Boot's probes
 * post-processor, which creates the group.
 *
 * @author etcd-spring-boot contributors
 */
final class EtcdReadinessHealthGroup implements HealthEndpointGroupsPostProcessor {

	static final String READINESS = "readiness";

	static final Set<String> MEMBERS = Set.of("etcd", "etcdRegistration");

	private static final String GROUP_PROPERTY = "management.endpoint.health.group." + READINESS;

	private final boolean explicitMembership;

	EtcdReadinessHealthGroup(Environment environment) {
		Binder binder = Binder.get(environment);
		this.explicitMembership = binder.bind(GROUP_PROPERTY + ".include", Bindable.setOf(String.class)).isBound()
				|| binder.bind(GROUP_PROPERTY + ".exclude", Bindable.setOf(String.class)).isBound();
	}

	@Override
	public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
		HealthEndpointGroup readiness = groups.get(READINESS);
		if (readiness == null || this.explicitMembership) {
			return groups;
		}
		return new Groups(groups, new Readiness(readiness));
	}

	/**
	 * The groups with the readiness group replaced; additional paths ({@code /readyz}) as
	 * the decorated groups map them.
	 */
	private record Groups(HealthEndpointGroups groups,
			HealthEndpointGroup readiness) implements HealthEndpointGroups, AdditionalPathsMapper {

		@Override
		public HealthEndpointGroup getPrimary() {
			return this.groups.getPrimary();
		}

		@Override
		public Set<String> getNames() {
			return this.groups.getNames();
		}

		@Override
		public @Nullable HealthEndpointGroup get(String name) {
			return READINESS.equals(name) ? this.readiness : this.groups.get(name);
		}

		@Override
		public @Nullable List<String> getAdditionalPaths(EndpointId endpointId, WebServerNamespace webServerNamespace) {
			return (this.groups instanceof AdditionalPathsMapper mapper)
					? mapper.getAdditionalPaths(endpointId, webServerNamespace) : null;
		}

	}

	/**
	 * The readiness group with the etcd indicators as members too.
	 */
	private record Readiness(HealthEndpointGroup group) implements HealthEndpointGroup {

		@Override
		public boolean isMember(String name) {
			return MEMBERS.contains(name) || this.group.isMember(name);
		}

		@Override
		public boolean showComponents(SecurityContext securityContext) {
			return this.group.showComponents(securityContext);
		}

		@Override
		public boolean showDetails(SecurityContext securityContext) {
			return this.group.showDetails(securityContext);
		}

		@Override
		public StatusAggregator getStatusAggregator() {
			return this.group.getStatusAggregator();
		}

		@Override
		public HttpCodeStatusMapper getHttpCodeStatusMapper() {
			return this.group.getHttpCodeStatusMapper();
		}

		@Override
		public @Nullable AdditionalHealthEndpointPath getAdditionalPath() {
			return this.group.getAdditionalPath();
		}

	}

}
