package io.github.etcdspring.discovery;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.loadbalancer.cache.LoadBalancerCacheManager;
import org.springframework.cloud.loadbalancer.config.LoadBalancerCacheAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Connects Spring Cloud LoadBalancer's instance cache to the etcd registry's changes.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration(after = { EtcdDiscoveryAutoConfiguration.class, LoadBalancerCacheAutoConfiguration.class })
@ConditionalOnClass(LoadBalancerCacheManager.class)
@ConditionalOnBean({ EtcdServiceCatalog.class, LoadBalancerCacheManager.class })
public class EtcdLoadBalancerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LoadBalancerCacheEvictor etcdLoadBalancerCacheEvictor(EtcdServiceCatalog catalog,
			LoadBalancerCacheManager cacheManager) {
		return new LoadBalancerCacheEvictor(catalog, cacheManager);
	}

}
