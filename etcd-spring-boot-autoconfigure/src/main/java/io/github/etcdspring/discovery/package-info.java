/**
 * Service discovery from the etcd registry: an in-memory catalog of the registry kept
 * current by one prefix watch, the blocking and reactive discovery clients that answer
 * from it, and the eviction of Spring Cloud LoadBalancer's cache when a service changes.
 * The registry's format comes from {@code io.github.etcdspring.format}.
 */
@NullMarked
package io.github.etcdspring.discovery;

import org.jspecify.annotations.NullMarked;
