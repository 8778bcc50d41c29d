package io.github.etcdspring.client;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;

/**
 * Gives every unary etcd call without a deadline of its own the configured request
 * timeout, so that no call waits forever for an unreachable cluster (jetcd waits for a
 * ready connection by default).
 * <p>
 * Streams are left alone because they are meant to stay open, and so are the lock and
 * campaign calls, which block by design until the lock or the leadership is granted, and
 * defragmentation, which takes as long as the database needs.
 *
 * @author etcd-spring-boot contributors
 */
class UnaryCallDeadlineInterceptor implements ClientInterceptor {

	private static final Set<String> BLOCKING_BY_DESIGN = Set.of("v3lockpb.Lock/Lock", "v3electionpb.Election/Campaign",
			"etcdserverpb.Maintenance/Defragment");

	private final long timeoutNanos;

	UnaryCallDeadlineInterceptor(Duration timeout) {
		this.timeoutNanos = timeout.toNanos();
	}

	@Override
	public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
			CallOptions callOptions, Channel next) {
		if (method.getType() == MethodDescriptor.MethodType.UNARY && callOptions.getDeadline() == null
				&& !BLOCKING_BY_DESIGN.contains(method.getFullMethodName())) {
			return next.newCall(method, callOptions.withDeadlineAfter(this.timeoutNanos, TimeUnit.NANOSECONDS));
		}
		return next.newCall(method, callOptions);
	}

}
