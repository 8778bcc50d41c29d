package io.github.etcdspring.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes configuration in etcd, for tools and admin endpoints: the write side
 * of the configuration that applications import. Contexts are named relative to
 * {@code etcd.config.prefix} ({@code "payments,dev"}) and use the configured format;
 * documents are validated before they are stored.
 *
 * @author etcd-spring-boot contributors
 * @see EtcdConfigTemplate
 */
public interface EtcdConfigOperations {

	/**
	 * The contexts this application reads, lowest precedence first.
	 * @return the automatic contexts for the application's name and active profiles
	 */
	List<EtcdConfigContext> getContexts();

	/**
	 * A context under {@code etcd.config.prefix}.
	 * @param name the context's name, such as {@code payments,dev}, or for the FILES
	 * format a file name such as {@code payments-dev.yaml}
	 * @return the context
	 */
	EtcdConfigContext context(String name);

	/**
	 * The properties a context defines, whatever its format.
	 * @param context the context
	 * @return property names to values
	 * @throws MalformedConfigurationException when its document does not parse
	 */
	Map<String, Object> getProperties(EtcdConfigContext context);

	/**
	 * The value of one property of a {@link EtcdConfigFormat#KEY_VALUE} context.
	 * @param context the context
	 * @param property the property, such as {@code server.port}
	 * @return the value, if set
	 */
	Optional<String> getValue(EtcdConfigContext context, String property);

	/**
	 * Set one property of a {@link EtcdConfigFormat#KEY_VALUE} context, stored at
	 * {@code {context}/server/port} for {@code server.port}.
	 * @param context the context
	 * @param property the property
	 * @param value the value
	 */
	void putValue(EtcdConfigContext context, String property, String value);

	/**
	 * Set one property unless it is set already, atomically.
	 * @param context the context
	 * @param property the property
	 * @param value the value
	 * @return whether the value was stored
	 */
	boolean putValueIfAbsent(EtcdConfigContext context, String property, String value);

	/**
	 * Remove one property of a {@link EtcdConfigFormat#KEY_VALUE} context.
	 * @param context the context
	 * @param property the property
	 * @return whether it was set
	 */
	boolean deleteValue(EtcdConfigContext context, String property);

	/**
	 * The document of a context stored as a document.
	 * @param context the context
	 * @return the document, if stored
	 */
	Optional<String> getDocument(EtcdConfigContext context);

	/**
	 * Store the document of a context, after checking that it parses.
	 * @param context the context
	 * @param document the document
	 * @throws MalformedConfigurationException when it does not parse; nothing is stored
	 */
	void putDocument(EtcdConfigContext context, String document);

	/**
	 * Store the document of a context unless it has one, atomically, after checking that
	 * it parses.
	 * @param context the context
	 * @param document the document
	 * @return whether the document was stored
	 * @throws MalformedConfigurationException when it does not parse; nothing is stored
	 */
	boolean putDocumentIfAbsent(EtcdConfigContext context, String document);

	/**
	 * Remove the document of a context.
	 * @param context the context
	 * @return whether there was one
	 */
	boolean deleteDocument(EtcdConfigContext context);

}
