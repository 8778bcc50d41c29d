package io.github.etcdspring.leader;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * A separate JVM that campaigns in the election {@code job} and waits to be killed.
 */
public final class LeaderProcess {

	private LeaderProcess() {
	}

	public static void main(String[] args) throws InterruptedException {
		new SpringApplicationBuilder(LeaderTestApplication.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "spring.application.name=job", "etcd.leader.enabled=true",
					"service.host=127.0.0.1")
			.run(args);
		Thread.currentThread().join();
	}

}
