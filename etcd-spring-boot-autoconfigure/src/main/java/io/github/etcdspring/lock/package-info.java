/**
 * Distributed locks on etcd, in the layout of etcd's own {@code concurrency.Mutex} so
 * that Go programs and {@code etcdctl lock} exclude Java processes and each other:
 * {@link io.github.etcdspring.lock.EtcdLockRegistry} hands out
 * {@link io.github.etcdspring.lock.EtcdLock} handles with a fencing token and a loss
 * signal; with Spring Integration present,
 * {@link io.github.etcdspring.lock.EtcdIntegrationLockRegistry} offers the same locks as
 * its {@code LockRegistry}.
 */
@NullMarked
package io.github.etcdspring.lock;

import org.jspecify.annotations.NullMarked;
