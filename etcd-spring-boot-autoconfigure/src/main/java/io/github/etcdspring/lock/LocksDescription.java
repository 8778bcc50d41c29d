package io.github.etcdspring.lock;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The locks of this application as the {@code etcd} endpoint shows them, in the
 * {@code locks} section of {@code /actuator/etcd/coordination}.
 *
 * @param held the locks held by its threads, by name
 * @param waiting the locks its threads wait for, by name
 * @param counts how acquisitions and holds ended since startup
 * @author etcd-spring-boot contributors
 */
public record LocksDescription(List<HeldLock> held, List<AwaitedLock> waiting, Counts counts) {

	/**
	 * A lock held.
	 *
	 * @param name the lock name
	 * @param key its key in etcd, without {@code etcd.namespace}
	 * @param fencingToken the create revision of the key
	 * @param since when it was acquired
	 * @param thread the name of the thread holding it
	 * @param lossReason why it was lost, while the thread has not unlocked it yet;
	 * {@code null} while held
	 */
	public record HeldLock(String name, String key, long fencingToken, String since, String thread,
			@Nullable String lossReason) {
	}

	/**
	 * A lock waited for.
	 *
	 * @param name the lock name
	 * @param since when the longest waiting thread started to wait
	 * @param threads how many threads wait for it
	 */
	public record AwaitedLock(String name, String since, int threads) {
	}

	/**
	 * How acquisitions in etcd and holds ended since startup, as the {@code etcd.lock.*}
	 * meters count them.
	 *
	 * @param acquired acquisitions that got the lock
	 * @param timedOut acquisitions that did not get it in time (or found it held, for a
	 * try)
	 * @param failed acquisitions that failed: interrupted, session lost, etcd unreachable
	 * @param released locks unlocked while still held
	 * @param lost locks unlocked after they were lost
	 */
	public record Counts(long acquired, long timedOut, long failed, long released, long lost) {
	}

}
