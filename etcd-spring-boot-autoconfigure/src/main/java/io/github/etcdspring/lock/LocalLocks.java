package io.github.etcdspring.lock;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.github.etcdspring.lock.LocalLock.Holding;
import org.jspecify.annotations.Nullable;

/**
 * The {@link LocalLock} of each lock name that threads of this application wait for or
 * hold, forgotten once none does. Thread-safe.
 *
 * @author etcd-spring-boot contributors
 */
final class LocalLocks {

	private final ConcurrentMap<String, LocalLock> byName = new ConcurrentHashMap<>();

	/**
	 * The local lock of a name, kept until {@link #forget forgotten} as often.
	 * @param name the name
	 * @return its local lock
	 */
	LocalLock remember(String name) {
		return this.byName.compute(name, (key, local) -> {
			LocalLock remembered = (local != null) ? local : new LocalLock();
			remembered.references++;
			return remembered;
		});
	}

	/**
	 * One thread no longer waits for or holds the lock.
	 * @param name the name
	 * @param local its local lock
	 */
	void forget(String name, LocalLock local) {
		this.byName.computeIfPresent(name, (key, remembered) -> {
			if (remembered == local) {
				remembered.references--;
			}
			return (remembered.references == 0) ? null : remembered;
		});
	}

	@Nullable LocalLock get(String name) {
		return this.byName.get(name);
	}

	/**
	 * How many names are remembered.
	 * @return the count
	 */
	int size() {
		return this.byName.size();
	}

	/**
	 * How many locks threads of this application hold in etcd, not lost.
	 * @return the count
	 */
	int heldCount() {
		return (int) this.byName.values().stream().filter((local) -> {
			Holding holding = local.holding;
			return holding != null && holding.hold().isHeld();
		}).count();
	}

	/**
	 * The local locks now, by name.
	 * @return a copy, sorted by name
	 */
	Map<String, LocalLock> byName() {
		return new TreeMap<>(this.byName);
	}

}
