/**
 * Distributed configuration from etcd: {@code etcd:} imports of
 * {@code spring.config.import} (and the bootstrap context), the parsing of configuration
 * documents within {@code etcd.config.limits}, the watcher that refreshes the application
 * when its configuration changes, and the operations that write configuration.
 */
@NullMarked
package io.github.etcdspring.config;

import org.jspecify.annotations.NullMarked;
