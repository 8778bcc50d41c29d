/**
 * gRPC name resolution from the etcd registry: a grpc-java
 * {@link io.grpc.NameResolverProvider} for the {@code etcd} scheme, so that
 * {@code ManagedChannelBuilder.forTarget("etcd:///orders-grpc")} reaches the instances of
 * {@code orders-grpc} that discovery knows, in any format it reads, and follows them as
 * they change.
 */
@NullMarked
package io.github.etcdspring.grpc;

import org.jspecify.annotations.NullMarked;
