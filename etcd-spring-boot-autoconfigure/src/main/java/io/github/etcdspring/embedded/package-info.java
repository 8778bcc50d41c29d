/**
 * A local etcd server that an application can start for itself, for development and demos
 * ({@code etcd.embedded.*}): finding the binary, choosing free loopback ports, and
 * connecting the shared client to it.
 */
@NullMarked
package io.github.etcdspring.embedded;

import org.jspecify.annotations.NullMarked;
