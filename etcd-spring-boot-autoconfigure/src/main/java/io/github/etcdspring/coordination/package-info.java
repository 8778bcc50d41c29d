/**
 * What locks and leader elections share, in the layout of etcd's own {@code concurrency}
 * package so that Go processes and {@code etcdctl} take part: one session lease per
 * application ({@link io.github.etcdspring.coordination.CoordinationSession}), the queue
 * of contenders under a name ({@link io.github.etcdspring.coordination.ContenderQueue}),
 * the way of one contender to its front, and what it holds once there
 * ({@link io.github.etcdspring.coordination.Hold}), all behind
 * {@link io.github.etcdspring.coordination.EtcdCoordinator}.
 */
@NullMarked
package io.github.etcdspring.coordination;

import org.jspecify.annotations.NullMarked;
