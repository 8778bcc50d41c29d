package io.github.etcdspring.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.LoggedProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registry page in a real headless browser (Debian's chromium, driven by its
 * chromedriver) against a real etcd: changes made with {@code etcdctl} appear on the open
 * page, pushed by the application. The page as last seen is kept in
 * {@code target/registry-page.png}.
 */
class SampleRegistryPageTests {

	private static final Duration BOUND = Duration.ofSeconds(20);

	private static final String CHROMIUM = "/usr/bin/chromium";

	private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	private static final Path SCREENSHOT = Path.of("target", "registry-page.png");

	private static final String KITEX_KEY = "kitex/registry-etcd/echo/127.0.0.1:8888";

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember();

	@Test
	void thePageShowsTheRegistryConfigurationLeaderAndLocksAndFollowsEtcdctlChanges(@TempDir Path userData)
			throws Exception {
		try (ConfigurableApplicationContext app = start();
				LoggedProcesses processes = new LoggedProcesses();
				Browser browser = new Browser(userData)) {
			String self = "127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
			browser.driver.get("http://" + self + "/registry.html");
			await().atMost(BOUND).until(() -> browser.text("connection").equals("live"));
			await().atMost(BOUND).until(() -> browser.text("services").contains("page " + self + " " + self + " UP"));
			await().atMost(BOUND).until(() -> browser.text("elections").contains("page " + self));
			assertThat(browser.text("self")).isEqualTo("page/" + self);
			assertThat(browser.text("configuration")).contains("greeting.message Hello from etcd");

			etcdctl(processes, "put", KITEX_KEY,
					"{\"network\":\"tcp\",\"address\":\"127.0.0.1:8888\",\"weight\":7,\"tags\":null}");
			etcdctl(processes, "put", "config/page/shop/discount", "15");
			etcdctl(processes, "put", "config/page/shop/api-password", "s3cret");
			Process lock = processes.start(etcdctlCommand("lock", "locks/orders"));
			await().atMost(BOUND)
				.until(() -> browser.text("services").contains("echo 127.0.0.1:8888 127.0.0.1:8888 UP 7 kitex"));
			await().atMost(BOUND).until(() -> browser.text("configuration").contains("shop.discount 15"));
			await().atMost(BOUND).until(() -> browser.text("configuration").contains("shop.api-password ******"));
			await().atMost(BOUND)
				.until(() -> browser.text("locks").startsWith("Lock") // header
						&& browser.text("locks").contains("orders "));
			assertThat(browser.text("configuration")).doesNotContain("s3cret");
			browser.screenshot(SCREENSHOT);

			etcdctl(processes, "del", KITEX_KEY);
			lock.destroy(); // SIGTERM: etcdctl unlocks
			await().atMost(BOUND).until(() -> !browser.text("services").contains("echo"));
			await().atMost(BOUND).until(() -> browser.text("locks").contains("no lock held"));
		}
	}

	private static ConfigurableApplicationContext start() {
		List<String> arguments = new ArrayList<>(List.of(etcd.springProperties()));
		arguments.addAll(List.of("etcd.embedded.enabled=false", "etcd.namespace=", "server.port=0",
				"service.host=127.0.0.1", "spring.application.name=page", "spring.main.banner-mode=off"));
		return new SpringApplicationBuilder(SampleApplication.class)
			.run(arguments.stream().map((property) -> "--" + property).toArray(String[]::new));
	}

	private static void etcdctl(LoggedProcesses processes, String... arguments) throws InterruptedException {
		Process process = processes.start(etcdctlCommand(arguments));
		assertThat(process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(() -> "etcdctl: " + processes.output(process)).isZero();
	}

	private static ProcessBuilder etcdctlCommand(String... arguments) {
		List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints="
				+ etcd.endpoints().stream().map((uri) -> uri.getAuthority()).collect(Collectors.joining(","))));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().put("ETCDCTL_API", "3");
		return builder;
	}

	/**
	 * Headless chromium with a user data directory of its own, and its chromedriver, both
	 * Debian's: Selenium Manager, which would download a browser and a driver, is never
	 * asked. Closing quits the browser and stops the driver.
	 */
	private static final class Browser implements AutoCloseable {

		private final ChromeDriverService service;

		private final ChromeDriver driver;

		Browser(Path userData) {
			for (String executable : List.of(CHROMIUM, CHROMEDRIVER)) {
				assertThat(Path.of(executable))
					.as("Debian's chromium and chromium-driver (scripts/ensure-tools.sh tests installs them)")
					.isExecutable();
			}
			this.service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
				.usingAnyFreePort()
				.build();
			ChromeOptions options = new ChromeOptions();
			options.setBinary(CHROMIUM);
			options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
					"--window-size=1280,1000", "--user-data-dir=" + userData.toAbsolutePath());
			this.driver = new ChromeDriver(this.service, options);
		}

		/**
		 * The text of an element, cells separated by spaces.
		 */
		String text(String id) {
			return this.driver.findElement(By.id(id)).getText().replaceAll("\\s+", " ");
		}

		void screenshot(Path target) throws IOException {
			File taken = this.driver.getScreenshotAs(OutputType.FILE);
			Files.createDirectories(target.toAbsolutePath().getParent());
			Files.copy(taken.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
		}

		@Override
		public void close() {
			try {
				this.driver.quit();
			}
			finally {
				this.service.stop();
			}
		}

	}

}
