package io.github.etcdspring.sample;

import java.util.Map;

import io.github.etcdspring.config.EtcdConfigContext;
import io.github.etcdspring.config.EtcdConfigOperations;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Distributed configuration: shows the values imported from etcd, which change live after
 * {@code etcdctl put}, and seeds a greeting on the first start.
 *
 * @author etcd-spring-boot contributors
 */
@RestController
class ConfigurationController implements ApplicationRunner {

	private final Greeting greeting;

	private final ShopProperties shop;

	private final EtcdConfigOperations configOperations;

	private final Environment environment;

	ConfigurationController(Greeting greeting, ShopProperties shop, EtcdConfigOperations configOperations,
			Environment environment) {
		this.greeting = greeting;
		this.shop = shop;
		this.configOperations = configOperations;
		this.environment = environment;
	}

	@GetMapping("/greeting")
	Map<String, Object> greeting() {
		return Map.of("message", this.greeting.getMessage(), "discount", this.shop.getDiscount(), "features",
				this.shop.getFeatures());
	}

	/**
	 * Writes a default greeting into this application's context unless one is there: the
	 * watch then applies it like any other change.
	 */
	@Override
	public void run(ApplicationArguments arguments) {
		EtcdConfigContext context = this.configOperations
			.context(this.environment.getRequiredProperty("spring.application.name"));
		this.configOperations.putValueIfAbsent(context, "greeting.message", "Hello from etcd");
	}

}
