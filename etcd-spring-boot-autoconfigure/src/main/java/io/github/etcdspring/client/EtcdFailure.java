package io.github.etcdspring.client;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * Why a call to etcd failed, in the words an operator needs: the health indicator,
 * fail-fast startup errors and the features' logs all describe failures with it.
 *
 * @author etcd-spring-boot contributors
 */
public enum EtcdFailure {

	/**
	 * No endpoint answered in time.
	 */
	UNREACHABLE("etcd is unreachable"),

	/**
	 * The TLS handshake failed, for instance because the server certificate is not
	 * trusted.
	 */
	TLS_HANDSHAKE_FAILED("TLS handshake with etcd failed"),

	/**
	 * etcd rejected the user name or password.
	 */
	AUTHENTICATION_FAILED("etcd rejected the credentials"),

	/**
	 * The authenticated user lacks a permission on the keys involved.
	 */
	PERMISSION_DENIED("etcd denied permission on the keys involved"),

	/**
	 * The cluster has lost its quorum or is electing a leader.
	 */
	NO_LEADER("the etcd cluster has no leader"),

	/**
	 * A response was larger than the client accepts.
	 */
	TOO_LARGE("the answer of etcd exceeds etcd.max-inbound-message-size"),

	/**
	 * Anything else.
	 */
	OTHER("etcd request failed");

	private static final String NO_LEADER_MESSAGE = "etcdserver: no leader";

	private static final String AUTHENTICATION_FAILED_MESSAGE = "etcdserver: authentication failed";

	private static final String PERMISSION_DENIED_MESSAGE = "etcdserver: permission denied";

	private final String description;

	EtcdFailure(String description) {
		this.description = description;
	}

	/**
	 * A short description for logs and health details.
	 * @return the description
	 */
	public String description() {
		return this.description;
	}

	/**
	 * Classify a failure of a jetcd call, looking through the wrapping exceptions of
	 * futures.
	 * @param failure the failure
	 * @return the classification
	 */
	public static EtcdFailure of(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SSLException) {
				return TLS_HANDSHAKE_FAILED;
			}
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			// A transport failure such as a refused or closed connection, whatever status
			// gRPC gave it.
			if (cause instanceof IOException) {
				return UNREACHABLE;
			}
		}
		Throwable cause = failure;
		while (cause != null && !(cause instanceof EtcdException) && cause.getCause() != null
				&& !(cause instanceof TimeoutException)) {
			cause = cause.getCause();
		}
		if (cause instanceof TimeoutException || cause instanceof CancellationException) {
			return UNREACHABLE;
		}
		if (cause instanceof EtcdException etcdException) {
			// jetcd's error codes are named after the gRPC status codes they stand for
			return of(Status.Code.valueOf(etcdException.getErrorCode().name()), etcdException.getMessage());
		}
		Status status = Status.fromThrowable(failure);
		return of(status.getCode(), status.getDescription());
	}

	/**
	 * The most specific message of a failure: futures and jetcd wrap the one worth
	 * showing.
	 * @param failure the failure
	 * @return the deepest non-blank message in the chain of causes, or the type of the
	 * failure
	 */
	public static String messageOf(Throwable failure) {
		String message = null;
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
				message = cause.getMessage();
			}
		}
		return (message != null) ? message : failure.getClass().getName();
	}

	private static EtcdFailure of(Status.Code code, @Nullable String message) {
		String text = (message != null) ? message : "";
		if (text.startsWith(AUTHENTICATION_FAILED_MESSAGE) || code == Status.Code.UNAUTHENTICATED) {
			return AUTHENTICATION_FAILED;
		}
		// etcd refuses a watch with a response that creates and cancels it at once, which
		// jetcd reports as
		// CANCELLED with etcd's reason, e.g. "rpc error: code = PermissionDenied desc =
		// etcdserver: permission denied"
		if (code == Status.Code.PERMISSION_DENIED
				|| (code == Status.Code.CANCELLED && text.contains(PERMISSION_DENIED_MESSAGE))) {
			return PERMISSION_DENIED;
		}
		if (text.startsWith(NO_LEADER_MESSAGE)) {
			return NO_LEADER;
		}
		if (code == Status.Code.RESOURCE_EXHAUSTED) {
			return TOO_LARGE;
		}
		if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
			return UNREACHABLE;
		}
		return OTHER;
	}

}
