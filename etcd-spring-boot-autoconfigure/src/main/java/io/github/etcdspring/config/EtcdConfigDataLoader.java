package io.github.etcdspring.config;

import java.util.List;

import org.apache.commons.logging.Log;

import org.springframework.boot.context.config.ConfigData;
import org.springframework.boot.context.config.ConfigData.Option;
import org.springframework.boot.context.config.ConfigDataLoader;
import org.springframework.boot.context.config.ConfigDataLoaderContext;
import org.springframework.boot.logging.DeferredLogFactory;

/**
 * Loads the contexts of an {@code etcd:} import, one property source per context, the
 * most specific winning.
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
		if (resource.getContexts().isEmpty()) {
			// etcd.enabled or etcd.config.enabled is false
			return ConfigData.EMPTY;
		}
		EtcdConfigDataClient client = context.getBootstrapContext().get(EtcdConfigDataClient.class);
		List<EtcdPropertySource> sources = client.load(resource.getContexts(), resource.isImportOptional(),
				resource.isFailFast(), this.logger);
		// Config data ranks an import just above the file declaring it, below that file's
		// profile variants; ranked
		// as profile specific, etcd overrides them too.
		return resource.isOverrideLocal() ? new ConfigData(sources, Option.PROFILE_SPECIFIC) : new ConfigData(sources);
	}

}
