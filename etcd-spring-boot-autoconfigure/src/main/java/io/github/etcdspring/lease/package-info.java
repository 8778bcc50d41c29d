/**
 * Leases of this application: a {@link io.github.etcdspring.lease.LeaseSession} grants
 * one lease, keeps it alive and reports its loss. Service registration holds its keys
 * under one; locks and elections are to share the same session per process, the way
 * etcd's Go {@code concurrency.Session} does.
 */
@NullMarked
package io.github.etcdspring.lease;

import org.jspecify.annotations.NullMarked;
