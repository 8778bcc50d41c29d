package io.github.etcdspring.sample;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.etcdspring.leader.EtcdLeaderElection;
import io.github.etcdspring.leader.EtcdLeaderInitiator;
import io.github.etcdspring.leader.Leader;
import io.github.etcdspring.lock.EtcdLock;
import io.github.etcdspring.lock.EtcdLockRegistry;
import io.github.etcdspring.template.EtcdTemplate;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Locks and leader election: who leads this application's election, and a short critical
 * section under a lock, shared with every other instance (and with {@code etcdctl lock}
 * on the same name).
 */
@RestController
class CoordinationController {

	private static final Duration LOCK_WAIT = Duration.ofSeconds(5);

	private final EtcdLeaderElection election;

	private final EtcdLeaderInitiator initiator;

	private final EtcdLockRegistry locks;

	private final EtcdTemplate etcd;

	CoordinationController(EtcdLeaderElection election, EtcdLeaderInitiator initiator, EtcdLockRegistry locks,
			EtcdTemplate etcd) {
		this.election = election;
		this.initiator = initiator;
		this.locks = locks;
		this.etcd = etcd;
	}

	/**
	 * Who leads, as etcd sees it, since which revision (the fencing token of the term),
	 * and whether it is this instance.
	 * @return the leader
	 */
	@GetMapping("/leader")
	Map<String, Object> leader() {
		Map<String, Object> leader = new LinkedHashMap<>();
		leader.put("election", this.initiator.getName());
		leader.put("thisInstanceLeads", this.initiator.isLeader());
		this.election.leader(this.initiator.getName())
			.ifPresentOrElse((current) -> describe(current, leader), () -> leader.put("leader", null));
		return leader;
	}

	/**
	 * Resign and campaign again: another instance, if there is one, leads meanwhile.
	 * @return who leads afterwards
	 */
	@PostMapping("/leader/yield")
	Map<String, Object> yieldLeadership() {
		this.initiator.yieldLeadership();
		return leader();
	}

	/**
	 * Increment a counter kept in etcd under the lock of that name: a read and a write
	 * that no other holder interleaves.
	 * @param name the lock name
	 * @return the fencing token of this hold and the counter it wrote
	 */
	@PostMapping("/locks/{name}")
	ResponseEntity<Map<String, Object>> increment(@PathVariable String name) throws InterruptedException {
		try (EtcdLock lock = this.locks.tryLock(name, LOCK_WAIT)) {
			if (lock == null) {
				return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("lock", name, "error", "busy"));
			}
			String key = "counters/" + name;
			long counter = this.etcd.get(key).map(Long::parseLong).orElse(0L) + 1;
			this.etcd.put(key, Long.toString(counter));
			return ResponseEntity.ok(Map.of("lock", name, "fencingToken", lock.fencingToken(), "counter", counter));
		}
	}

	private static void describe(Leader current, Map<String, Object> leader) {
		leader.put("leader", current.proposal());
		leader.put("sinceRevision", current.createRevision());
		leader.put("key", current.key());
	}

}
