package io.github.etcdspring.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class EtcdRegistryFormatAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdRegistryFormatAutoConfiguration.class))
		.withBean(Client.class, () -> Client.builder().endpoints("http://127.0.0.1:2379").build());

	@Test
	void jsonIsTheDefaultFormat() {
		this.runner.withPropertyValues("etcd.discovery.prefix=/registry/").run((context) -> {
			RegistryFormat format = context.getBean(RegistryFormat.class);
			assertThat(format.codec()).isInstanceOf(JsonServiceInstanceCodec.class);
			assertThat(format.layout()).hasToString("registry/");
		});
	}

	@Test
	void withoutJacksonThereIsNoJsonFormat() {
		this.runner.withClassLoader(new FilteredClassLoader(ObjectMapper.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ServiceInstanceCodec.class)
				.doesNotHaveBean(RegistryFormat.class));
	}

	@Test
	void aCodecOfYourOwnNeedsNoJackson() {
		ServiceInstanceCodec codec = new ServiceInstanceCodec() {

			@Override
			public byte[] encode(EtcdServiceInstance instance) {
				return new byte[0];
			}

			@Override
			public EtcdServiceInstance decode(String serviceId, String instanceId, byte[] value) {
				throw new MalformedInstanceException("never");
			}

		};
		this.runner.withClassLoader(new FilteredClassLoader(ObjectMapper.class))
			.withBean(ServiceInstanceCodec.class, () -> codec)
			.run((context) -> assertThat(context.getBean(RegistryFormat.class).codec()).isSameAs(codec));
	}

}
