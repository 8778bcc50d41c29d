/**
 * Following a key range of etcd from a revision: a
 * {@link io.github.etcdspring.watch.PrefixWatch} resumes after a disconnect, retries with
 * a jittered backoff, drops the late callbacks of closed watches and tells its owner when
 * what it read before can no longer be trusted (a compacted revision, a restored or
 * recreated cluster), so that the owner reads again. The service catalog uses it; the
 * config watcher, lock and election observers are to.
 */
@NullMarked
package io.github.etcdspring.watch;

import org.jspecify.annotations.NullMarked;
