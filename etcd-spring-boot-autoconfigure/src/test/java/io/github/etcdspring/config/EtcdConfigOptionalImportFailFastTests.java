package io.github.etcdspring.config;

import io.github.etcdspring.client.EtcdConnectionException;
import io.github.etcdspring.embedded.LocalEtcdServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatException;

/**
 * How {@code optional:etcd:} and the client's {@code etcd.fail-fast} combine, as the
 * README states it: the optional import lets the configuration be missing, but the
 * client's own startup check still stops an application that cannot reach etcd.
 */
class EtcdConfigOptionalImportFailFastTests {

	@Test
	void anOptionalImportWithTheClientsFailFastStillStopsTheStartupWithoutEtcd() {
		String endpoint = "http://127.0.0.1:" + LocalEtcdServer.freePort();
		assertThatException()
			.isThrownBy(() -> ConfigTestApplication.run("--etcd.endpoints=" + endpoint, "--etcd.dial-timeout=1s",
					"--spring.config.import=optional:etcd:"))
			.withStackTraceContaining(EtcdConnectionException.class.getName() + ": Could not connect to etcd");
	}

}
