package io.github.etcdspring.registry;

import io.github.etcdspring.test.EtcdCluster;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EtcdServiceRegistryPropertiesTests {

	@RegisterExtension
	static final EtcdCluster etcd = EtcdCluster.singleMember();

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			service.port                   | 0             | service.port
			service.port                   | 70000         | service.port
			service.port                   | eighty        | service.port
			service.weight                 | 0             | service.weight
			service.name                   | a/b           | service.name
			service.grpc.port              | -1            | service.grpc.port
			service.grpc.name              | x/y           | service.grpc.name
			service.service-use-subnet     | 10.0.0.0      | service.service-use-subnet
			service.service-use-subnet     | 10.0.0.0/40   | service.service-use-subnet
			service.service-use-subnet     | not-a-net/8   | service.service-use-subnet
			service.service-use-subnet     | 203.0.113.0/24 | service.service-use-subnet
			service.grpc.service-use-subnet | 203.0.113.0/24 | service.grpc.service-use-subnet
			service.retry.max-attempts     | -1            | service.retry.max-attempts
			service.retry.delay            | 0s            | service.retry.delay
			service.retry.check-interval   | -1s           | service.retry.check-interval
			service.retry.delay            | soon          | service.retry.delay
			etcd.keepalive-ttl             | 500ms         | etcd.keepalive-ttl
			etcd.discovery.prefix          | /             | etcd.discovery.prefix
			etcd.registry.format           | protobuf      | etcd.registry.format
			service.register               | perhaps       | service.register
			""")
	void invalidValueIsRejectedNamingTheProperty(String property, String value, String namedProperty) {
		assertThatThrownBy(() -> RegistryTestApplication
			.start(etcd, "service.name=invalid", "service.port=8401", "service.grpc.port=9401", "service.host=",
					property + "=" + value)
			.close()).hasStackTraceContaining(namedProperty);
	}

}
