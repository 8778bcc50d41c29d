/**
 * Leader election on etcd, in the layout of etcd's {@code concurrency.Election}: a bean
 * to campaign, read and observe leaders, the application's own leadership as a Spring
 * feature with events, and a scheduler for leader-only {@code @Scheduled} work.
 */
@NullMarked
package io.github.etcdspring.leader;

import org.jspecify.annotations.NullMarked;
