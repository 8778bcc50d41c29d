package io.github.etcdspring.config;

import org.apache.commons.logging.Log;

import org.springframework.boot.context.config.ConfigData;
import org.springframework.boot.context.config.ConfigDataLoader;
import org.springframework.boot.context.config.ConfigDataLoaderContext;
import org.springframework.boot.logging.DeferredLogFactory;

/**
 * Loads the contexts of an {@code etcd:} import, one property source per context, the most specific winning.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdConfigDataLoader implements ConfigDataLoader<EtcdConfigDataResource> {

	private final Log logger;

	public EtcdConfigDataLoader(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(EtcdConfigDataLoader.class);
	}

	@Override
	public ConfigData load(ConfigDataLoaderContext context, EtcdConfigDataResource resource) {
		EtcdConfigDataClient client = context.getBootstrapContext().get(EtcdConfigDataClient.class);
		return new ConfigData(client.load(resource.getContexts(), resource.isImportOptional(), resource.isFailFast(),
				this.logger));
	}

}
