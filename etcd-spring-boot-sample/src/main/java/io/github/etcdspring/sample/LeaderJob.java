package io.github.etcdspring.sample;

import io.github.etcdspring.leader.EtcdLeaderTaskScheduler;
import io.github.etcdspring.leader.Leadership;
import io.github.etcdspring.template.EtcdTemplate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A job that runs only on the instance that leads: the leader-only scheduler skips it
 * everywhere else, with no code in the method for it. It writes which instance ran it
 * last, in which term, to etcd:
 * {@code etcdctl get /etcd-sample/jobs/leader-job/last-run}. A run still going when the
 * term ends has its thread interrupted.
 */
@Component
class LeaderJob {

	private static final Log logger = LogFactory.getLog(LeaderJob.class);

	private final EtcdTemplate etcd;

	LeaderJob(EtcdTemplate etcd) {
		this.etcd = etcd;
	}

	@Scheduled(fixedDelayString = "${sample.leader-job.interval:5s}", scheduler = EtcdLeaderTaskScheduler.BEAN_NAME)
	void run() {
		Leadership term = EtcdLeaderTaskScheduler.currentLeadership().orElseThrow();
		String run = term.proposal() + " in the term with fencing token " + term.fencingToken();
		this.etcd.put("jobs/leader-job/last-run", run);
		logger.info("Leader-only job ran on " + run);
	}

}
