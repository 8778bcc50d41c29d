package io.github.etcdspring.registry;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Builds this application's registrations from {@code service.*}, rejecting values that
 * cannot work with an error that names the property.
 *
 * @author etcd-spring-boot contributors
 */
class RegistrationFactory {

	private final EtcdServiceProperties properties;

	private final ServiceAddressResolver addressResolver;

	private final Environment environment;

	RegistrationFactory(EtcdServiceProperties properties, ServiceAddressResolver addressResolver,
			Environment environment) {
		this.properties = properties;
		this.addressResolver = addressResolver;
		this.environment = environment;
	}

	/**
	 * The registration of the application; its port and instance id may still be unknown
	 * (see {@link #complete(EtcdRegistration, int)}).
	 * @return the registration
	 */
	EtcdRegistration serviceRegistration() {
		String name = serviceName();
		EtcdRegistration registration = new EtcdRegistration(name, this.addressResolver.resolve(name,
				this.properties.getHost(), this.properties.getServiceUseSubnet(), EtcdServiceProperties.PREFIX));
		if (this.properties.getPort() != null) {
			registration.setPort(checkPort("port", this.properties.getPort()));
		}
		if (StringUtils.hasText(this.properties.getInstanceId())) {
			registration.setInstanceId(this.properties.getInstanceId());
		}
		registration.setSecure(this.properties.isSecure());
		if (this.properties.getWeight() < 1) {
			throw invalid("weight", this.properties.getWeight(), "Must be at least 1");
		}
		registration.setWeight(this.properties.getWeight());
		registration.getMetadata().putAll(this.properties.getMetadata());
		return registration;
	}

	/**
	 * The registration of the gRPC server.
	 * @param service the registration of the application
	 * @return the registration, or {@code null} when no gRPC port is configured
	 */
	@Nullable EtcdRegistration grpcRegistration(EtcdRegistration service) {
		EtcdServiceProperties.Grpc grpc = this.properties.getGrpc();
		if (grpc.getPort() == null) {
			return null;
		}
		String name = StringUtils.hasText(grpc.getName()) ? checkName("grpc.name", grpc.getName())
				: service.getServiceId() + "-grpc";
		String host = (StringUtils.hasText(grpc.getHost()) || StringUtils.hasText(grpc.getServiceUseSubnet()))
				? this.addressResolver.resolve(name, grpc.getHost(), grpc.getServiceUseSubnet(),
						EtcdServiceProperties.PREFIX + ".grpc")
				: service.getHost();
		EtcdRegistration registration = new EtcdRegistration(name, host);
		int port = checkPort("grpc.port", grpc.getPort());
		registration.setPort(port);
		registration.setInstanceId(defaultInstanceId(host, port));
		registration.setWeight(service.getWeight());
		registration.getMetadata().putAll(service.getMetadata());
		registration.getMetadata().put("protocol", "grpc");
		return registration;
	}

	/**
	 * Fill in what is known only once the application runs.
	 * @param registration the registration
	 * @param boundPort the port the web server bound, or 0
	 */
	static void complete(EtcdRegistration registration, int boundPort) {
		if (registration.getPort() == 0) {
			registration.setPort(boundPort);
		}
		if (registration.getInstanceId() == null && registration.getPort() > 0) {
			registration.setInstanceId(defaultInstanceId(registration.getHost(), registration.getPort()));
		}
	}

	/**
	 * {@code host:port}: unique across hosts, and stable across restarts on the same host
	 * and port.
	 */
	static String defaultInstanceId(String host, int port) {
		return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
	}

	private String serviceName() {
		String name = StringUtils.hasText(this.properties.getName()) ? this.properties.getName()
				: this.environment.getProperty("spring.application.name", "application");
		return checkName("name", name);
	}

	private static String checkName(String property, String name) {
		if (name.contains("/")) {
			throw invalid(property, name, "A service name must not contain '/'");
		}
		return name;
	}

	private static int checkPort(String property, int port) {
		if (port < 1 || port > 65535) {
			throw invalid(property, port, "Must be between 1 and 65535");
		}
		return port;
	}

	private static InvalidConfigurationPropertyValueException invalid(String property, Object value, String reason) {
		return new InvalidConfigurationPropertyValueException(EtcdServiceProperties.PREFIX + "." + property, value,
				reason);
	}

}
