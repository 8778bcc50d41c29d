/**
 * The registry formats of the Go registries, so that one etcd serves a polyglot fleet:
 * Kitex, go-kit, Gone, go-core, etcd's gRPC naming, Kratos and go-zero, each a
 * {@link io.github.etcdspring.format.RegistryKeyLayout} plus a
 * {@link io.github.etcdspring.format.ServiceInstanceCodec} that writes exactly what the
 * Go library writes. {@link io.github.etcdspring.format.polyglot.PolyglotFormat} lists
 * them; the JSON ones need Jackson.
 */
@NullMarked
package io.github.etcdspring.format.polyglot;

import org.jspecify.annotations.NullMarked;
