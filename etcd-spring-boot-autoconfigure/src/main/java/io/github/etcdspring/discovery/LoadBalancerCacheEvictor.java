package io.github.etcdspring.discovery;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cloud.loadbalancer.cache.LoadBalancerCacheManager;
import org.springframework.cloud.loadbalancer.core.CachingServiceInstanceListSupplier;

/**
 * Evicts the instances that Spring Cloud LoadBalancer cached for a service as soon as the
 * service changes in etcd, so that load-balanced calls never wait for the cache's
 * time-to-live to see an instance come or go.
 *
 * @author etcd-spring-boot contributors
 */
public class LoadBalancerCacheEvictor implements SmartInitializingSingleton, DisposableBean {

	private final EtcdServiceCatalog catalog;

	private final ListableBeanFactory beanFactory;

	private @Nullable Subscription subscription;

	public LoadBalancerCacheEvictor(EtcdServiceCatalog catalog, ListableBeanFactory beanFactory) {
		this.catalog = catalog;
		this.beanFactory = beanFactory;
	}

	/**
	 * Spring Cloud LoadBalancer declares its cache manager as no autowire candidate, so
	 * it is looked up, once all beans exist.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		List<CacheManager> cacheManagers = List
			.copyOf(this.beanFactory.getBeansOfType(LoadBalancerCacheManager.class).values());
		if (!cacheManagers.isEmpty()) {
			this.subscription = this.catalog.subscribe(null,
					(event) -> cacheManagers.forEach((cacheManager) -> evict(cacheManager, event.serviceId())));
		}
	}

	@Override
	public void destroy() {
		if (this.subscription != null) {
			this.subscription.close();
		}
	}

	private static void evict(CacheManager cacheManager, String serviceId) {
		Cache cache = cacheManager.getCache(CachingServiceInstanceListSupplier.SERVICE_INSTANCE_CACHE_NAME);
		if (cache != null) {
			cache.evict(serviceId);
		}
	}

}
