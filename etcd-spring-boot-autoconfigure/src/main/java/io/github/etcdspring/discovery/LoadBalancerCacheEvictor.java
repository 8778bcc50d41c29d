package io.github.etcdspring.discovery;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cloud.loadbalancer.core.CachingServiceInstanceListSupplier;

/**
 * Evicts the instances that Spring Cloud LoadBalancer cached for a service as soon as the service changes in etcd,
 * so that load-balanced calls never wait for the cache's time-to-live to see an instance come or go.
 *
 * @author etcd-spring-boot contributors
 */
public class LoadBalancerCacheEvictor implements InitializingBean, DisposableBean {

	private final EtcdServiceCatalog catalog;

	private final CacheManager cacheManager;

	private Subscription subscription;

	public LoadBalancerCacheEvictor(EtcdServiceCatalog catalog, CacheManager cacheManager) {
		this.catalog = catalog;
		this.cacheManager = cacheManager;
	}

	@Override
	public void afterPropertiesSet() {
		this.subscription = this.catalog.subscribe(null, (event) -> evict(event.serviceId()));
	}

	@Override
	public void destroy() {
		if (this.subscription != null) {
			this.subscription.close();
		}
	}

	private void evict(String serviceId) {
		Cache cache = this.cacheManager.getCache(CachingServiceInstanceListSupplier.SERVICE_INSTANCE_CACHE_NAME);
		if (cache != null) {
			cache.evict(serviceId);
		}
	}

}
