package io.github.etcdspring.client;

import io.etcd.jetcd.ClientBuilder;

/**
 * Callback to change the jetcd {@link ClientBuilder} after the starter has applied its
 * properties and before the shared {@link io.etcd.jetcd.Client} is built.
 *
 * @author etcd-spring-boot contributors
 */
@FunctionalInterface
public interface EtcdClientBuilderCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder to customize
	 */
	void customize(ClientBuilder builder);

}
