package io.github.etcdspring.registry;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports whether this application's registration is in etcd: DOWN with the last failure
 * while it is being restored or after the attempts ran out.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdServiceRegistryHealthIndicator implements HealthIndicator {

	private final EtcdServiceRegistry registry;

	public EtcdServiceRegistryHealthIndicator(EtcdServiceRegistry registry) {
		this.registry = registry;
	}

	@Override
	public Health health() {
		Health.Builder builder = this.registry.isHealthy() ? Health.up() : Health.down();
		builder.withDetail("state", this.registry.getState());
		if (this.registry.getLeaseId() != 0) {
			builder.withDetail("leaseId", Long.toHexString(this.registry.getLeaseId()));
		}
		if (!this.registry.isHealthy() && this.registry.getLastFailure() != null) {
			builder.withDetail("reason", this.registry.getLastFailure());
		}
		return builder.build();
	}

}
