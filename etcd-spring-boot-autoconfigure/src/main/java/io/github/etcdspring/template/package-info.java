/**
 * Plain keys and values of etcd for applications:
 * {@link io.github.etcdspring.template.EtcdTemplate} reads, writes and deletes them, and
 * follows a prefix with the same resumable watch as service discovery.
 */
@NullMarked
package io.github.etcdspring.template;

import org.jspecify.annotations.NullMarked;
