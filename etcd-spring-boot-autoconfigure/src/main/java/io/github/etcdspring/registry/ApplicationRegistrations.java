package io.github.etcdspring.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * This application's registrations in its {@link EtcdServiceRegistry} (the service's, the
 * gRPC server's, and any other registered through
 * {@link EtcdServiceRegistry#register(EtcdRegistration)}), and whether they are drained:
 * taken out of etcd by an operator and kept out, whatever registers them meanwhile, until
 * resumed.
 *
 * @author etcd-spring-boot contributors
 */
final class ApplicationRegistrations {

	private final Map<String, EtcdRegistration> registered = new LinkedHashMap<>();

	private volatile boolean drained;

	/**
	 * Remember a registration and write it, unless drained. No lock is held while it is
	 * written (a listener of the registry's events may register too): a drain that comes
	 * meanwhile is seen after the write, which is then removed again.
	 * @param registration the registration
	 * @param write what writes it
	 * @param remove what removes it
	 * @return whether it was written (or is being tried in the background)
	 */
	boolean register(EtcdRegistration registration, Consumer<EtcdRegistration> write,
			Consumer<EtcdRegistration> remove) {
		synchronized (this) {
			this.registered.put(idOf(registration), registration);
			if (this.drained) {
				return false;
			}
		}
		try {
			write.accept(registration);
		}
		catch (RuntimeException ex) {
			deregister(registration);
			throw ex;
		}
		if (this.drained) {
			remove.accept(registration);
			return false;
		}
		return true;
	}

	synchronized void deregister(EtcdRegistration registration) {
		this.registered.remove(idOf(registration));
	}

	/**
	 * Drain: remove every registration from etcd and keep them out.
	 * @param remove what removes them
	 * @return whether they were not drained already
	 */
	boolean drain(Consumer<List<EtcdRegistration>> remove) {
		List<EtcdRegistration> removed;
		synchronized (this) {
			if (this.drained) {
				return false;
			}
			this.drained = true;
			removed = all();
		}
		remove.accept(removed);
		return true;
	}

	/**
	 * Resume: write every registration again.
	 * @param write what writes one
	 * @return whether they were drained
	 */
	boolean resume(Consumer<EtcdRegistration> write) {
		List<EtcdRegistration> written;
		synchronized (this) {
			if (!this.drained) {
				return false;
			}
			this.drained = false;
			written = all();
		}
		written.forEach(write);
		return true;
	}

	boolean isDrained() {
		return this.drained;
	}

	/**
	 * The registrations, in the order they were registered.
	 * @return a copy
	 */
	synchronized List<EtcdRegistration> all() {
		return new ArrayList<>(this.registered.values());
	}

	private static String idOf(EtcdRegistration registration) {
		return registration.getServiceId() + "/" + registration.getInstanceId();
	}

}
