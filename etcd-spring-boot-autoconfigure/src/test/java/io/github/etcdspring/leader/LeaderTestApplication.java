package io.github.etcdspring.leader;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.etcdspring.test.EtcdCluster;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.integration.leader.event.AbstractLeaderEvent;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * An application that campaigns in the election {@code job} and runs a leader-only
 * scheduled method, for leadership tests.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableScheduling
public class LeaderTestApplication {

	@Bean
	LeaderEvents leaderEvents() {
		return new LeaderEvents();
	}

	@Bean
	LeaderOnlyJob leaderOnlyJob() {
		return new LeaderOnlyJob();
	}

	@Bean
	EveryInstanceJob everyInstanceJob() {
		return new EveryInstanceJob();
	}

	@Bean
	WebServerDrainProbe webServerDrainProbe(ApplicationContext context) {
		return new WebServerDrainProbe(context);
	}

	/**
	 * Start an instance.
	 * @param etcd the cluster
	 * @param proposal its proposal
	 * @param properties further properties
	 * @return the running application
	 */
	public static ConfigurableApplicationContext start(EtcdCluster etcd, String proposal, String... properties) {
		return new SpringApplicationBuilder(LeaderTestApplication.class).web(WebApplicationType.NONE)
			.properties(etcd.springProperties())
			.properties("spring.application.name=job", "etcd.leader.enabled=true", "etcd.leader.proposal=" + proposal,
					"etcd.coordination.session-ttl=2s", "etcd.retry.delay=100ms", "etcd.retry.max-delay=1s",
					"etcd.request-timeout=3s", "service.host=127.0.0.1", "spring.main.banner-mode=off")
			.properties(properties)
			.run();
	}

	/**
	 * Every leadership event, ours and Spring Integration's, as "granted 12" (with the
	 * fencing token), "revoked 12 resigned" or "lost 12", "si-granted job", "si-revoked
	 * job".
	 */
	public static class LeaderEvents implements ApplicationListener<ApplicationEvent> {

		public final List<String> events = new CopyOnWriteArrayList<>();

		public final List<EtcdLeadershipEvent> leadershipEvents = new CopyOnWriteArrayList<>();

		public final List<AbstractLeaderEvent> integrationEvents = new CopyOnWriteArrayList<>();

		public final AtomicBoolean eventBeforeRefresh = new AtomicBoolean();

		private volatile boolean refreshed;

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (event instanceof ContextRefreshedEvent) {
				this.refreshed = true;
			}
			if (event instanceof EtcdLeadershipEvent || event instanceof AbstractLeaderEvent) {
				this.eventBeforeRefresh.compareAndSet(false, !this.refreshed);
			}
			if (event instanceof EtcdLeadershipGrantedEvent granted) {
				this.leadershipEvents.add(granted);
				this.events.add("granted " + granted.getFencingToken());
			}
			else if (event instanceof EtcdLeadershipRevokedEvent revoked) {
				this.leadershipEvents.add(revoked);
				this.events.add((revoked.getRevocation().lost() ? "lost " : "revoked ") + revoked.getFencingToken());
			}
			else if (event instanceof AbstractLeaderEvent integration) {
				this.integrationEvents.add(integration);
				this.events.add(((integration instanceof OnGrantedEvent) ? "si-granted " : "si-revoked ")
						+ integration.getRole());
			}
		}

		public long grantedCount() {
			return this.leadershipEvents.stream().filter(EtcdLeadershipGrantedEvent.class::isInstance).count();
		}

		public long revokedCount() {
			return this.leadershipEvents.stream().filter(EtcdLeadershipRevokedEvent.class::isInstance).count();
		}

		public boolean lost() {
			return this.leadershipEvents.stream()
				.anyMatch((event) -> event instanceof EtcdLeadershipRevokedEvent revoked
						&& revoked.getRevocation().lost());
		}

	}

	/**
	 * A leader-only scheduled method, with nothing inside about leadership: it records
	 * the fencing token of the term each run ran under.
	 */
	public static class LeaderOnlyJob {

		public final List<Long> runs = new CopyOnWriteArrayList<>();

		@Scheduled(fixedDelay = 50, scheduler = EtcdLeaderTaskScheduler.BEAN_NAME)
		void run() {
			this.runs.add(EtcdLeaderTaskScheduler.currentLeadership().map(Leadership::fencingToken).orElse(-1L));
		}

	}

	/**
	 * A plain scheduled method, on Spring Boot's scheduler: it runs on every instance.
	 */
	public static class EveryInstanceJob {

		public final AtomicInteger runs = new AtomicInteger();

		@Scheduled(fixedDelay = 50)
		void run() {
			this.runs.incrementAndGet();
		}

	}

	/**
	 * Stops in the phase of the web server's graceful shutdown, and records what the
	 * leadership looked like then: "leader: false, events: [...]". It looks the beans up
	 * then: a bean that depends on the initiator would be stopped before it.
	 */
	public static class WebServerDrainProbe implements SmartLifecycle {

		private final ApplicationContext context;

		public volatile String atDrain = "not stopped";

		private volatile boolean running;

		WebServerDrainProbe(ApplicationContext context) {
			this.context = context;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.atDrain = "leader: " + this.context.getBean(EtcdLeaderInitiator.class).isLeader() + ", events: "
					+ this.context.getBean(LeaderEvents.class).events;
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE;
		}

	}

}
