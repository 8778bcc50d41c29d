package io.github.etcdspring.leader;

import java.nio.charset.StandardCharsets;

import io.etcd.jetcd.KeyValue;

/**
 * The leader of an election, as etcd shows it: the candidate whose key has the lowest
 * create revision.
 *
 * @param name the election name
 * @param proposal the value of its key, decoded as UTF-8
 * @param key its key, without {@code etcd.namespace}
 * @param createRevision the create revision of its key: its fencing token, and the
 * revision it leads since
 * @param leaseId the session lease its key is on
 * @author etcd-spring-boot contributors
 */
public record Leader(String name, String proposal, String key, long createRevision, long leaseId) {

	static Leader of(String name, KeyValue keyValue) {
		return new Leader(name, keyValue.getValue().toString(StandardCharsets.UTF_8),
				keyValue.getKey().toString(StandardCharsets.UTF_8), keyValue.getCreateRevision(), keyValue.getLease());
	}

}
