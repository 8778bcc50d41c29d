/**
 * Service registration in etcd: Spring Cloud's {@code ServiceRegistry} and
 * auto-registration on this application's own lease, kept alive and restored when lost,
 * with the events that report a lost and restored registration and the
 * {@code etcdRegistration} health indicator.
 */
@NullMarked
package io.github.etcdspring.registry;

import org.jspecify.annotations.NullMarked;
