package io.github.etcdspring.lock;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.etcdspring.coordination.CoordinationEndpointSection;
import io.github.etcdspring.lock.LocalLock.Holding;
import io.github.etcdspring.lock.LocksDescription.AwaitedLock;
import io.github.etcdspring.lock.LocksDescription.Counts;
import io.github.etcdspring.lock.LocksDescription.HeldLock;

/**
 * The {@code locks} section of {@code /actuator/etcd/coordination}: the locks the threads
 * of this application hold and wait for, from the registry's memory.
 *
 * @author etcd-spring-boot contributors
 */
public class LocksEndpointSection implements CoordinationEndpointSection {

	private final EtcdLockRegistry locks;

	/**
	 * @param locks the registry
	 */
	public LocksEndpointSection(EtcdLockRegistry locks) {
		this.locks = locks;
	}

	@Override
	public String name() {
		return "locks";
	}

	@Override
	public LocksDescription describe() {
		List<HeldLock> held = new ArrayList<>();
		List<AwaitedLock> waiting = new ArrayList<>();
		this.locks.localLocks().byName().forEach((name, local) -> {
			Holding holding = local.holding;
			if (holding != null) {
				held.add(new HeldLock(name, holding.hold().key(), holding.hold().fencingToken(),
						holding.since().toString(), holding.thread().getName(), holding.hold().lossReason()));
			}
			Map<Thread, Instant> waiters = new HashMap<>(local.waiters);
			if (holding != null) {
				// the holder re-entering is no waiter
				waiters.remove(holding.thread());
			}
			waiters.values()
				.stream()
				.min(Instant::compareTo)
				.ifPresent((since) -> waiting.add(new AwaitedLock(name, since.toString(), waiters.size())));
		});
		LockActivity activity = this.locks.activity();
		return new LocksDescription(held, waiting, new Counts(activity.acquired().count(), activity.timedOut().count(),
				activity.failed().count(), activity.released().count(), activity.lost().count()));
	}

}
