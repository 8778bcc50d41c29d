package io.github.etcdspring.sample;

import java.util.List;
import java.util.Map;

import io.github.etcdspring.registry.EtcdRegistration;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Service discovery: who this instance is, which instances the registry knows, and a call
 * to a peer by service name through a load-balanced {@link RestClient}.
 *
 * @author etcd-spring-boot contributors
 */
@RestController
class PeerController {

	private final EtcdRegistration registration;

	private final DiscoveryClient discoveryClient;

	private final RestClient loadBalanced;

	PeerController(EtcdRegistration registration, DiscoveryClient discoveryClient,
			RestClient.Builder loadBalancedRestClientBuilder) {
		this.registration = registration;
		this.discoveryClient = discoveryClient;
		this.loadBalanced = loadBalancedRestClientBuilder.build();
	}

	@GetMapping("/whoami")
	Map<String, Object> whoami() {
		return Map.of("service", this.registration.getServiceId(), "instance", this.registration.getInstanceId(),
				"port", this.registration.getPort());
	}

	@GetMapping("/services/{serviceId}")
	List<String> instances(@PathVariable String serviceId) {
		return this.discoveryClient.getInstances(serviceId).stream().map(ServiceInstance::getInstanceId).toList();
	}

	/**
	 * Calls {@code /whoami} of an instance of the given service, chosen by Spring Cloud
	 * LoadBalancer among those the etcd registry knows.
	 * @param serviceId the service to call
	 * @return what the instance answered
	 */
	@GetMapping("/call/{serviceId}")
	String call(@PathVariable String serviceId) {
		return this.loadBalanced.get().uri("http://" + serviceId + "/whoami").retrieve().body(String.class);
	}

}
