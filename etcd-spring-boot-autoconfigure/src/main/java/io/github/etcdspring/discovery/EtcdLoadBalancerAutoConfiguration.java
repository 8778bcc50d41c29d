package io.github.etcdspring.discovery;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.loadbalancer.cache.LoadBalancerCacheManager;
import org.springframework.context.annotation.Bean;

/**
 * Connects Spring Cloud LoadBalancer's instance cache to the etcd registry's changes.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration(after = EtcdDiscoveryAutoConfiguration.class)
@ConditionalOnClass(LoadBalancerCacheManager.class)
@ConditionalOnBean(EtcdServiceCatalog.class)
@ConditionalOnBooleanProperty(name = "spring.cloud.loadbalancer.cache.enabled", matchIfMissing = true)
public class EtcdLoadBalancerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LoadBalancerCacheEvictor etcdLoadBalancerCacheEvictor(EtcdServiceCatalog catalog, ListableBeanFactory beanFactory) {
		return new LoadBalancerCacheEvictor(catalog, beanFactory);
	}

}
