package io.github.etcdspring.registry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.etcdspring.client.EtcdFailure;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Writes one of this application's registrations under its {@link RegistrationLease}: an
 * instance id whose key another lease holds is not taken over; with
 * {@code etcd.fail-fast}, a registration waits until that lease could have expired and
 * fails if the key is still held then, or if etcd cannot be reached; without it, the
 * registry keeps trying in the background.
 *
 * @author etcd-spring-boot contributors
 */
final class RegistrationWriter {

	// the registry's log category, as before this class was split off
	private static final Log logger = LogFactory.getLog(EtcdServiceRegistry.class);

	/**
	 * Beyond the remaining TTL of a lease, how long it may take etcd to expire it: the
	 * TTL it reports is rounded down to seconds and expired leases are collected every
	 * half second.
	 */
	private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(2);

	private static final Duration DUPLICATE_POLL_INTERVAL = Duration.ofMillis(250);

	private final RegistrationLease lease;

	private final PublishedFormats formats;

	private final List<String> endpoints;

	private final boolean failFast;

	RegistrationWriter(RegistrationLease lease, PublishedFormats formats, EtcdServiceRegistry.Settings settings) {
		this.lease = lease;
		this.formats = formats;
		this.endpoints = settings.endpoints();
		this.failFast = settings.failFast();
	}

	/**
	 * Write a registration.
	 * @param registration the registration, checked
	 * @throws EtcdRegistrationException with fail-fast, when it could not be written
	 */
	void write(EtcdRegistration registration) {
		List<LeasedKey> keys = keys(registration);
		try {
			putWaitingForAPreviousRun(registration);
			if (logger.isDebugEnabled()) {
				logger.debug("Registered " + registration + " in etcd under " + describe(registration));
			}
		}
		catch (DuplicateInstanceException ex) {
			String message = "Could not register " + registration + ": instance id '" + registration.getInstanceId()
					+ "' is taken, " + ex.getMessage() + ". Give each instance its own service.instance-id";
			if (this.failFast) {
				this.lease.remove(keys);
				throw new EtcdRegistrationException(message, EtcdFailure.OTHER, ex);
			}
			logger.warn(message + "; registering once that key is gone (etcd.fail-fast=false)");
		}
		catch (RuntimeException ex) {
			EtcdFailure failure = EtcdFailure.of(ex);
			String message = "Could not register " + registration + " in etcd at " + this.endpoints + " under "
					+ keyList(keys) + ": " + failure.description() + " (" + EtcdFailure.messageOf(ex) + ")";
			if (this.failFast) {
				this.lease.remove(keys);
				throw new EtcdRegistrationException(message, failure, ex);
			}
			logger.warn(message + "; retrying in the background (etcd.fail-fast=false)");
		}
	}

	/**
	 * Write the key of an instance; with fail-fast, while another lease holds it, try
	 * again until that lease could have expired. A restarted instance whose previous run
	 * was killed finds its key under the old lease, which nobody keeps alive any more: it
	 * expires within its remaining TTL.
	 */
	private void putWaitingForAPreviousRun(EtcdRegistration registration) {
		long deadline = 0;
		while (true) {
			try {
				this.lease.put(() -> this.formats.entries(registration.toServiceInstance()));
				return;
			}
			catch (DuplicateInstanceException ex) {
				if (!this.failFast) {
					throw ex;
				}
				long now = System.nanoTime();
				if (deadline == 0) {
					Duration wait = ex.getHolderRemainingTtl().plus(EXPIRY_MARGIN);
					deadline = now + wait.toNanos();
					logger.info("The etcd key '" + ex.getKey() + "' of " + registration + " is held by lease "
							+ Long.toHexString(ex.getHolderLeaseId()) + "; waiting up to " + wait.toSeconds()
							+ "s for it to expire, in case it is this instance's previous run");
				}
				long left = deadline - now;
				if (left <= 0) {
					throw ex;
				}
				pause(Math.min(left, DUPLICATE_POLL_INTERVAL.toNanos()));
			}
		}
	}

	private static void pause(long nanos) {
		try {
			TimeUnit.NANOSECONDS.sleep(nanos);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting to register in etcd", ex);
		}
	}

	/**
	 * Where an instance is registered: its keys, the lease and its TTL.
	 */
	String describe(EtcdRegistration registration) {
		return keyList(keys(registration)) + " (lease " + Long.toHexString(this.lease.leaseId()) + ", TTL "
				+ this.lease.ttl().toSeconds() + "s)";
	}

	private List<LeasedKey> keys(EtcdRegistration registration) {
		return this.formats.keys(registration.toServiceInstance());
	}

	private String keyList(List<LeasedKey> keys) {
		return "keys " + this.lease.describe(keys);
	}

}
