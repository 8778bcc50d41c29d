/**
 * The registry format, shared by the service registry (which writes instances) and
 * discovery (which reads them): the instance model, the key layout
 * ({@link io.github.etcdspring.format.RegistryKeyLayout}, the starter's own being
 * {@link io.github.etcdspring.format.NativeKeyLayout}), the codec of one value, and the
 * {@link io.github.etcdspring.format.RegistryFormat} that pairs them. The Go registries'
 * formats are in {@code io.github.etcdspring.format.polyglot}. The format is chosen with
 * {@code etcd.registry.format}; {@code json}, the starter's own format, is the first
 * implementation and the only one that needs Jackson.
 */
@NullMarked
package io.github.etcdspring.format;

import org.jspecify.annotations.NullMarked;
