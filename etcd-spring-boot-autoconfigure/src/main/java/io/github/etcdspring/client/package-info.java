/**
 * The shared jetcd client of the starter and what every feature builds on: the
 * {@code etcd.*} properties and connection details, the client's auto-configuration and
 * customizers, TLS and endpoint synchronisation, the classification of failures for
 * operators, and the {@code etcd} health indicator.
 */
@NullMarked
package io.github.etcdspring.client;

import org.jspecify.annotations.NullMarked;
