package io.github.etcdspring.benchmarks;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.springframework.cloud.client.serviceregistry.Registration;

/**
 * One of the two registries that {@link PeerBenchmark} measures with the same code: how
 * to point {@code peer.ProbeApplication} at it (and only at it), a new
 * {@link Registration} of its kind, and the plain client operations that are the floor of
 * each figure: writes, deletes and watches by clients of their own, as another process
 * would have.
 *
 * @author etcd-spring-boot contributors
 */
interface PeerStore extends AutoCloseable {

	/**
	 * The name of the integration, a column of the table.
	 * @return the name
	 */
	String label();

	/**
	 * The arguments that connect {@code ProbeApplication} to this store, import its
	 * configuration from it, and switch the other integration off.
	 * @param name {@code spring.application.name}
	 * @return the arguments
	 */
	List<String> arguments(String name);

	/**
	 * The start of the package of the other integration's beans, none of which may be in
	 * an application connected to this store.
	 * @return a package prefix
	 */
	String foreignPackage();

	/**
	 * A new registration of the instance {@code 127.0.0.1:port} of a service, of the type
	 * that the integration's {@code ServiceRegistry} takes.
	 * @param serviceId the service
	 * @param port the port
	 * @return the registration
	 */
	Registration registration(String serviceId, int port);

	/**
	 * Floor: write an instance as a plain client does, bound to the client's lease or
	 * session.
	 * @param serviceId the service
	 * @param instanceId the instance
	 * @param value the value
	 * @return completed when the store acknowledged the write
	 */
	CompletableFuture<Void> create(String serviceId, String instanceId, byte[] value);

	/**
	 * Floor: delete an instance written by {@link #create}.
	 * @param serviceId the service
	 * @param instanceId the instance
	 * @return completed when the store acknowledged the delete
	 */
	CompletableFuture<Void> delete(String serviceId, String instanceId);

	/**
	 * Floor: watch the instances {@link #create} writes, with a client of its own.
	 * @param serviceId the service
	 * @param created called with the id of each created instance, on arrival
	 * @return the watch, to close
	 */
	AutoCloseable watchInstances(String serviceId, Consumer<String> created);

	/**
	 * Write a property of an application's own configuration context.
	 * @param name the application's name
	 * @param property the property, such as {@code bench.value}
	 * @param value its value
	 * @return completed when the store acknowledged the write
	 */
	CompletableFuture<Void> writeConfig(String name, String property, String value);

	/**
	 * Floor: watch an application's configuration context with a client of its own.
	 * @param name the application's name
	 * @param changed called with the property of each change, on arrival
	 * @return the watch, to close
	 */
	AutoCloseable watchConfig(String name, Consumer<String> changed);

	/**
	 * Stop the server and delete its data.
	 */
	@Override
	void close();

}
