/**
 * The {@code etcd} Actuator endpoint: one read-only part per feature under its own
 * sub-path ({@code /actuator/etcd/registrations}, ...) and the write actions operators
 * run on this instance ({@code POST /actuator/etcd/deregister}). Each feature contributes
 * its {@link io.github.etcdspring.endpoint.EtcdEndpointPart parts} and
 * {@link io.github.etcdspring.endpoint.EtcdEndpointAction actions} from its own
 * auto-configuration, so that this package knows none of them.
 */
@NullMarked
package io.github.etcdspring.endpoint;

import org.jspecify.annotations.NullMarked;
