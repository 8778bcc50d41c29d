package io.github.etcdspring.registry;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * A separate JVM that registers itself and waits to be killed.
 */
public final class RegisteringProcess {

	private RegisteringProcess() {
	}

	public static void main(String[] args) throws InterruptedException {
		new SpringApplicationBuilder(RegistryTestApplication.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off")
			.run(args);
		Thread.currentThread().join();
	}

}
