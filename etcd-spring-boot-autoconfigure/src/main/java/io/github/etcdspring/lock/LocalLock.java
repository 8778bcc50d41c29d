package io.github.etcdspring.lock;

import java.util.concurrent.locks.ReentrantLock;

import io.github.etcdspring.coordination.Hold;
import org.jspecify.annotations.Nullable;

/**
 * The exclusion of one lock name among the threads of this application, in front of etcd:
 * all of them contend with the same key (one per session lease), so only the thread
 * holding {@link #threads} may wait for or hold it there. Fair, so that local threads
 * take their turns in order, and re-entrant.
 *
 * @author etcd-spring-boot contributors
 */
final class LocalLock {

	final ReentrantLock threads = new ReentrantLock(true);

	/**
	 * The threads waiting for or holding this lock; it is forgotten at 0. Changed only
	 * inside the registry map's atomic compute of its name.
	 */
	int references;

	/**
	 * What is held in etcd while {@link #threads} is held; read and written only by the
	 * thread holding it.
	 */
	@Nullable Hold hold;

}
