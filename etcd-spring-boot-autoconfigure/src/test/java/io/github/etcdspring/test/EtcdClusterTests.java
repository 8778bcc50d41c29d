package io.github.etcdspring.test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.etcd.jetcd.ByteSequence;
import io.github.etcdspring.embedded.LocalEtcdServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test cluster itself: a port taken by another process between being found free and
 * being bound by etcd does not fail the test class.
 */
class EtcdClusterTests {

	@Test
	void startsOnOtherPortsWhenAPortWasTakenBeforeEtcdBoundIt() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			AtomicInteger handedOut = new AtomicInteger();
			// the first port handed out is the taken one (a client port or a peer port)
			EtcdCluster etcd = EtcdCluster.singleMember()
				.withPorts(
						() -> (handedOut.getAndIncrement() == 0) ? taken.getLocalPort() : LocalEtcdServer.freePort());
			etcd.start();
			try {
				assertThat(handedOut.get()).isGreaterThan(2);
				ByteSequence key = ByteSequence.from("started", StandardCharsets.UTF_8);
				etcd.client().getKVClient().put(key, key).get(10, TimeUnit.SECONDS);
				assertThat(etcd.client().getKVClient().get(key).get(10, TimeUnit.SECONDS).getCount()).isOne();
			}
			finally {
				etcd.close();
			}
		}
	}

}
