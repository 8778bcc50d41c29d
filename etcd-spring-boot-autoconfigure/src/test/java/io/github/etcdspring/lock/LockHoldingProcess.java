package io.github.etcdspring.lock;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A separate JVM that acquires the lock {@code job}, prints {@code HELD <key>} and waits
 * to be killed.
 */
public final class LockHoldingProcess {

	private LockHoldingProcess() {
	}

	public static void main(String[] args) throws InterruptedException {
		ConfigurableApplicationContext app = new SpringApplicationBuilder(LockTestApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off")
			.run(args);
		EtcdLock lock = LockTestApplication.locks(app).lock("job");
		System.out.println("HELD " + lock.key());
		System.out.flush();
		Thread.currentThread().join();
	}

}
