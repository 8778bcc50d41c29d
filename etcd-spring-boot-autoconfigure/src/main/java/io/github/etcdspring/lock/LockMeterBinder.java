package io.github.etcdspring.lock;

import java.util.concurrent.TimeUnit;

import io.github.etcdspring.lock.LockActivity.Tally;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The meters of the locks of an {@link EtcdLockRegistry}, read from the counts it keeps:
 * {@code etcd.lock.wait} (how long acquisitions in etcd waited, by {@code outcome}:
 * {@code acquired}, {@code timeout}, {@code failed}), {@code etcd.lock.hold} (how long
 * locks were held until unlocked, by {@code outcome}: {@code released}, {@code lost}) and
 * {@code etcd.lock.held} (how many locks this application holds now). No lock name is a
 * tag.
 *
 * @author etcd-spring-boot contributors
 */
public class LockMeterBinder implements MeterBinder {

	private final EtcdLockRegistry locks;

	/**
	 * @param locks the registry
	 */
	public LockMeterBinder(EtcdLockRegistry locks) {
		this.locks = locks;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		LockActivity activity = this.locks.activity();
		String waited = "Time acquisitions of etcd locks waited, by how they ended";
		timer(registry, "etcd.lock.wait", "acquired", activity.acquired(), waited);
		timer(registry, "etcd.lock.wait", "timeout", activity.timedOut(), waited);
		timer(registry, "etcd.lock.wait", "failed", activity.failed(), waited);
		String held = "Time etcd locks were held until unlocked, by whether they were lost before";
		timer(registry, "etcd.lock.hold", "released", activity.released(), held);
		timer(registry, "etcd.lock.hold", "lost", activity.lost(), held);
		Gauge.builder("etcd.lock.held", this.locks, (locks) -> locks.localLocks().heldCount())
			.description("etcd locks held by this application, not lost")
			.register(registry);
	}

	private static void timer(MeterRegistry registry, String name, String outcome, Tally tally, String description) {
		FunctionTimer.builder(name, tally, Tally::count, Tally::totalNanos, TimeUnit.NANOSECONDS)
			.tag("outcome", outcome)
			.description(description)
			.register(registry);
	}

}
