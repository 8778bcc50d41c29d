package io.github.etcdspring.grpc;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EtcdTargetTests {

	@Test
	void theServiceIsThePathAfterTheThirdSlash() {
		EtcdTarget target = EtcdTarget.of(URI.create("etcd:///orders-grpc"));
		assertThat(target.serviceId()).isEqualTo("orders-grpc");
		assertThat(target.authority()).isEqualTo("orders-grpc");
	}

	@Test
	void aGrpcNamingTargetKeepsItsSlashesAndIsEncodedAsAnAuthority() {
		EtcdTarget target = EtcdTarget.of(URI.create("etcd:///foo/bar/my-service"));
		assertThat(target.serviceId()).isEqualTo("foo/bar/my-service");
		assertThat(target.authority()).isEqualTo("foo%2Fbar%2Fmy-service");
	}

	@Test
	void percentEncodedCharactersAreDecoded() {
		EtcdTarget target = EtcdTarget.of(URI.create("etcd:///caf%C3%A9%20menu"));
		assertThat(target.serviceId()).isEqualTo("café menu");
		assertThat(target.authority()).isEqualTo("caf%C3%A9%20menu");
	}

	@Test
	void anAuthorityIsRefusedWithTheSyntaxToUse() {
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdTarget.of(URI.create("etcd://10.0.0.1:2379/orders")))
			.withMessage("Invalid gRPC target 'etcd://10.0.0.1:2379/orders': an authority ('10.0.0.1:2379') is not "
					+ "supported: the service is looked up in the application's etcd catalog; "
					+ "write etcd:///{service}, e.g. etcd:///orders-grpc");
	}

	@Test
	void targetsWithoutAServiceAreRefused() {
		for (String target : new String[] { "etcd:///", "etcd:/", "etcd:orders", "etcd:///orders?x=1",
				"etcd:///orders#x" }) {
			assertThatIllegalArgumentException().as(target)
				.isThrownBy(() -> EtcdTarget.of(URI.create(target)))
				.withMessageStartingWith("Invalid gRPC target '" + target + "'");
		}
	}

}
