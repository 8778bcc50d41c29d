package io.github.etcdspring.registry;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.InstanceStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.serviceregistry.Registration;

/**
 * An instance to register in etcd. The auto-registration fills in the port the web server
 * bound and the default instance id before registering;
 * {@link EtcdRegistrationCustomizer} beans may change anything before that.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdRegistration implements Registration {

	private String serviceId;

	private @Nullable String instanceId;

	private String host;

	private int port;

	private boolean secure;

	private int weight = 1;

	private volatile String status = InstanceStatus.UP;

	private final Map<String, String> metadata = new LinkedHashMap<>();

	public EtcdRegistration(String serviceId, String host) {
		this.serviceId = serviceId;
		this.host = host;
	}

	@Override
	public String getServiceId() {
		return this.serviceId;
	}

	public void setServiceId(String serviceId) {
		this.serviceId = serviceId;
	}

	@Override
	public @Nullable String getInstanceId() {
		return this.instanceId;
	}

	public void setInstanceId(String instanceId) {
		this.instanceId = instanceId;
	}

	@Override
	public String getHost() {
		return this.host;
	}

	public void setHost(String host) {
		this.host = host;
	}

	@Override
	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		this.port = port;
	}

	@Override
	public boolean isSecure() {
		return this.secure;
	}

	public void setSecure(boolean secure) {
		this.secure = secure;
	}

	public int getWeight() {
		return this.weight;
	}

	public void setWeight(int weight) {
		this.weight = weight;
	}

	/**
	 * The status the instance is registered with; changed through the service registry.
	 * @return the status
	 */
	public String getStatus() {
		return this.status;
	}

	void setStatus(String status) {
		this.status = status;
	}

	/**
	 * The metadata to register, modifiable until registration.
	 * @return the metadata
	 */
	@Override
	public Map<String, String> getMetadata() {
		return this.metadata;
	}

	@Override
	public URI getUri() {
		return ServiceInstance.createUri(this);
	}

	@Override
	public String getScheme() {
		return this.secure ? "https" : "http";
	}

	/**
	 * The instance as stored in etcd.
	 * @return the instance
	 */
	public EtcdServiceInstance toServiceInstance() {
		return new EtcdServiceInstance(this.serviceId, this.instanceId, this.host, this.port, this.secure, this.status,
				this.weight, this.metadata);
	}

	@Override
	public String toString() {
		return this.serviceId + "/" + this.instanceId + " at " + this.host + ":" + this.port;
	}

}
