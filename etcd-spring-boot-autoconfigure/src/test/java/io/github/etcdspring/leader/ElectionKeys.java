package io.github.etcdspring.leader;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdspring.test.EtcdCluster;
import io.github.etcdspring.test.EtcdKeys;

/**
 * The candidates' keys of an election, read from etcd.
 */
final class ElectionKeys {

	private ElectionKeys() {
	}

	static List<KeyValue> of(EtcdCluster etcd, String prefix) {
		return EtcdKeys
			.await(etcd.client()
				.getKVClient()
				.get(ByteSequence.from(prefix, StandardCharsets.UTF_8), GetOption.builder().isPrefix(true).build()))
			.getKvs();
	}

	/**
	 * How many candidates the election {@code job} has.
	 */
	static int count(EtcdCluster etcd) {
		return of(etcd, "elections/job/").size();
	}

}
