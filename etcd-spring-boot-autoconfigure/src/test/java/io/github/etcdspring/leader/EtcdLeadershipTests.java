package io.github.etcdspring.leader;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.etcdspring.client.EtcdAutoConfiguration;
import io.github.etcdspring.coordination.EtcdCoordinationAutoConfiguration;
import io.github.etcdspring.endpoint.EtcdEndpointAutoConfiguration;
import io.github.etcdspring.leader.LeaderTestApplication.EveryInstanceJob;
import io.github.etcdspring.leader.LeaderTestApplication.LeaderEvents;
import io.github.etcdspring.leader.LeaderTestApplication.LeaderOnlyJob;
import io.github.etcdspring.leader.LeaderTestApplication.WebServerDrainProbe;
import io.github.etcdspring.registry.EtcdRegistration;
import io.github.etcdspring.test.EtcdCluster;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.integration.leader.event.AbstractLeaderEvent;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.leader.event.OnRevokedEvent;
import org.springframework.scheduling.TaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application's leadership as a Spring feature ({@code etcd.leader.enabled=true}):
 * its events, Spring Integration's, and the leader-only scheduler.
 */
class EtcdLeadershipTests {

	private static final Duration BOUND = Duration.ofSeconds(20);

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember().clearedBeforeEach();

	private final List<ConfigurableApplicationContext> apps = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeApps() {
		this.apps.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void theApplicationLeadsOnceItsContextIsRefreshedAndEachEventFiresOnce() {
		ConfigurableApplicationContext app = start("a");
		LeaderEvents events = app.getBean(LeaderEvents.class);
		EtcdLeaderInitiator initiator = app.getBean(EtcdLeaderInitiator.class);
		await().atMost(BOUND).until(() -> events.events.size() == 2);
		long token = events.leadershipEvents.get(0).getFencingToken();
		assertThat(events.events).containsExactly("granted " + token, "si-granted job");
		assertThat(events.eventBeforeRefresh).isFalse();
		assertThat(initiator.isLeader()).isTrue();
		assertThat(events.integrationEvents.get(0).getContext().isLeader()).isTrue();
		assertThat(events.leadershipEvents.get(0).getProposal()).isEqualTo("a");
		assertThat(app.getBean(EtcdLeaderElection.class).leader("job")).hasValueSatisfying((leader) -> {
			assertThat(leader.proposal()).isEqualTo("a");
			assertThat(leader.createRevision()).isEqualTo(token);
		});
		WebServerDrainProbe drain = app.getBean(WebServerDrainProbe.class);
		app.close();
		assertThat(events.events).containsExactly("granted " + token, "si-granted job", "revoked " + token,
				"si-revoked job");
		// resigned, and told, before the phase in which a web server drains its requests
		assertThat(drain.atDrain).isEqualTo("leader: false, events: " + events.events);
		assertThat(initiator.isLeader()).isFalse();
		assertThat(ElectionKeys.count(etcd)).isZero();
	}

	@Test
	void leadershipMovesByResignationWhenTheLeadersContextCloses() {
		// a session TTL far longer than the bound: only a resignation moves it in time
		ConfigurableApplicationContext a = start("a", "etcd.coordination.session-ttl=60s");
		await().atMost(BOUND).until(() -> a.getBean(EtcdLeaderInitiator.class).isLeader());
		ConfigurableApplicationContext b = start("b", "etcd.coordination.session-ttl=60s");
		await().atMost(BOUND).until(() -> ElectionKeys.count(etcd) == 2);
		LeaderEvents aEvents = a.getBean(LeaderEvents.class);
		LeaderEvents bEvents = b.getBean(LeaderEvents.class);
		assertThat(bEvents.events).isEmpty();
		a.close();
		await().atMost(BOUND).until(() -> b.getBean(EtcdLeaderInitiator.class).isLeader());
		assertThat(bEvents.grantedCount()).isOne();
		assertThat(aEvents.revokedCount()).isOne();
		assertThat(aEvents.lost()).isFalse();
	}

	@Test
	void theLeaderOnlyScheduledMethodRunsOnExactlyOneInstanceAndMovesWithTheLeadership() {
		ConfigurableApplicationContext a = start("a");
		await().atMost(BOUND).until(() -> a.getBean(EtcdLeaderInitiator.class).isLeader());
		ConfigurableApplicationContext b = start("b");
		LeaderOnlyJob aJob = a.getBean(LeaderOnlyJob.class);
		LeaderOnlyJob bJob = b.getBean(LeaderOnlyJob.class);
		int runsBefore = aJob.runs.size();
		await().atMost(BOUND).until(() -> aJob.runs.size() >= runsBefore + 5);
		// Spring Boot's own scheduler still runs the other scheduled methods everywhere
		await().atMost(BOUND).until(() -> b.getBean(EveryInstanceJob.class).runs.get() >= 5);
		assertThat(bJob.runs).isEmpty();
		long aToken = a.getBean(EtcdLeaderInitiator.class).getLeadership().orElseThrow().fencingToken();
		assertThat(aJob.runs).containsOnly(aToken);
		a.close();
		await().atMost(BOUND).until(() -> bJob.runs.size() >= 5);
		long bToken = b.getBean(EtcdLeaderInitiator.class).getLeadership().orElseThrow().fencingToken();
		assertThat(bJob.runs).containsOnly(bToken);
		assertThat(bToken).isGreaterThan(aToken);
	}

	@Test
	void aLeaderOnlyTaskRunningWhenLeadershipEndsIsInterruptedAndSeesItsTermOver() throws Exception {
		ConfigurableApplicationContext app = start("a");
		EtcdLeaderInitiator initiator = app.getBean(EtcdLeaderInitiator.class);
		await().atMost(BOUND).until(initiator::isLeader);
		TaskScheduler scheduler = app.getBean(EtcdLeaderTaskScheduler.BEAN_NAME, TaskScheduler.class);
		List<String> seen = new CopyOnWriteArrayList<>();
		CountDownLatch neverReleased = new CountDownLatch(1);
		scheduler.schedule(() -> {
			Leadership term = EtcdLeaderTaskScheduler.currentLeadership().orElseThrow();
			seen.add("started");
			try {
				// long work, which only an interrupt ends early
				neverReleased.await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
				seen.add("not interrupted");
			}
			catch (InterruptedException ex) {
				seen.add("interrupted, leader: " + term.isLeader());
			}
		}, Instant.now());
		await().atMost(BOUND).until(() -> seen.contains("started"));
		initiator.yieldLeadership();
		await().atMost(BOUND).until(() -> seen.size() == 2);
		assertThat(seen).containsExactly("started", "interrupted, leader: false");
	}

	@Test
	void yieldResignsAndCampaignsAgainForANewTerm() {
		ConfigurableApplicationContext a = start("a");
		LeaderEvents aEvents = a.getBean(LeaderEvents.class);
		await().atMost(BOUND).until(() -> aEvents.integrationEvents.size() == 1);
		ConfigurableApplicationContext b = start("b");
		await().atMost(BOUND).until(() -> ElectionKeys.count(etcd) == 2);
		AbstractLeaderEvent granted = aEvents.integrationEvents.get(0);
		assertThat(granted.getContext().getRole()).isEqualTo("job");
		granted.getContext().yield();
		await().atMost(BOUND).until(() -> b.getBean(EtcdLeaderInitiator.class).isLeader());
		assertThat(granted.getContext().isLeader()).isFalse();
		await().atMost(BOUND).until(() -> ElectionKeys.count(etcd) == 2);
		b.close();
		await().atMost(BOUND).until(() -> aEvents.grantedCount() == 2);
		assertThat(aEvents.integrationEvents).hasExactlyElementsOfTypes(OnGrantedEvent.class, OnRevokedEvent.class,
				OnGrantedEvent.class);
		assertThat(aEvents.leadershipEvents.get(2).getFencingToken())
			.isGreaterThan(aEvents.leadershipEvents.get(0).getFencingToken());
	}

	@Test
	void aLostSessionIsRevokedThenTheApplicationLeadsAgainUnderANewSession() throws Exception {
		ConfigurableApplicationContext app = start("a");
		LeaderEvents events = app.getBean(LeaderEvents.class);
		EtcdLeaderInitiator initiator = app.getBean(EtcdLeaderInitiator.class);
		await().atMost(BOUND).until(initiator::isLeader);
		Leadership first = initiator.getLeadership().orElseThrow();
		etcd.client().getLeaseClient().revoke(first.leaseId()).get();
		await().atMost(BOUND).until(() -> events.grantedCount() == 2);
		assertThat(events.events).containsExactly("granted " + first.fencingToken(), "si-granted job",
				"lost " + first.fencingToken(), "si-revoked job",
				"granted " + events.leadershipEvents.get(2).getFencingToken(), "si-granted job");
		Leadership second = initiator.getLeadership().orElseThrow();
		assertThat(second.leaseId()).isNotEqualTo(first.leaseId());
		assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
	}

	@Test
	void anApplicationThatRegistersItselfProposesItsServiceInstanceId() {
		ConfigurableApplicationContext app = start("", "service.port=8142");
		EtcdLeaderInitiator initiator = app.getBean(EtcdLeaderInitiator.class);
		await().atMost(BOUND).until(initiator::isLeader);
		String instanceId = app.getBean(EtcdRegistration.class).getInstanceId();
		assertThat(instanceId).isNotBlank();
		assertThat(initiator.getLeadership().orElseThrow().proposal()).isEqualTo(instanceId);
	}

	@Test
	void theElectionBeanExistsWithoutTheApplicationsLeadership() {
		runner().run((context) -> {
			assertThat(context).hasSingleBean(EtcdLeaderElection.class);
			assertThat(context).doesNotHaveBean(EtcdLeaderInitiator.class);
			assertThat(context).doesNotHaveBean(EtcdLeaderTaskScheduler.class);
			assertThat(ElectionKeys.count(etcd)).isZero();
		});
	}

	@Test
	void theElectionsSectionComesWithTheEtcdEndpointAndTheMeterWithMicrometer() {
		runner().run((context) -> {
			assertThat(context).doesNotHaveBean(ElectionsEndpointSection.class);
			assertThat(context).hasSingleBean(LeaderMeterBinder.class);
		});
		runner().withConfiguration(AutoConfigurations.of(EtcdEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=etcd")
			.withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(ElectionsEndpointSection.class);
				assertThat(context).doesNotHaveBean(LeaderMeterBinder.class);
			});
	}

	@Test
	void withoutSpringIntegrationTheApplicationLeadsProposingItsHostAndProcessId() {
		runner().withClassLoader(new FilteredClassLoader(OnGrantedEvent.class))
			.withPropertyValues("etcd.leader.enabled=true", "etcd.leader.name=job")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(IntegrationLeaderEvents.class);
				EtcdLeaderInitiator initiator = context.getBean(EtcdLeaderInitiator.class);
				await().atMost(BOUND).until(initiator::isLeader);
				assertThat(ElectionKeys.count(etcd)).isOne();
				// no etcd.leader.proposal and no service registration: {host name}:{pid}
				assertThat(initiator.getLeadership().orElseThrow().proposal())
					.endsWith(":" + ProcessHandle.current().pid());
			});
	}

	@Test
	void aMissingOrInvalidElectionNameOrPrefixIsRefusedNamingTheProperty() {
		runner().withPropertyValues("etcd.leader.enabled=true").run((context) -> {
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("etcd.leader.name");
		});
		runner().withPropertyValues("etcd.leader.enabled=true", "etcd.leader.name=a/b").run((context) -> {
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("etcd.leader.name")
				.hasMessageContaining("'/'");
		});
		runner().withPropertyValues("etcd.leader.prefix=my elections").run((context) -> {
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("etcd.leader.prefix");
		});
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class,
					EtcdCoordinationAutoConfiguration.class, EtcdLeaderAutoConfiguration.class))
			.withPropertyValues(etcd.springProperties())
			.withPropertyValues("etcd.coordination.session-ttl=2s");
	}

	private ConfigurableApplicationContext start(String proposal, String... properties) {
		ConfigurableApplicationContext app = LeaderTestApplication.start(etcd, proposal, properties);
		this.apps.add(app);
		return app;
	}

}
