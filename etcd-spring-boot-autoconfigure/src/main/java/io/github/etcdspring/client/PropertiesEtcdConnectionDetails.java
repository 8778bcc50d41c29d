package io.github.etcdspring.client;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * {@link EtcdConnectionDetails} read from {@link EtcdProperties}.
 *
 * @author etcd-spring-boot contributors
 */
public class PropertiesEtcdConnectionDetails implements EtcdConnectionDetails {

	private final EtcdProperties properties;

	private final @Nullable SslBundles sslBundles;

	public PropertiesEtcdConnectionDetails(EtcdProperties properties, @Nullable SslBundles sslBundles) {
		this.properties = properties;
		this.sslBundles = sslBundles;
	}

	@Override
	public List<URI> getEndpoints() {
		return EtcdEndpoints.parse(this.properties.getEndpoints(), this.properties.getSsl().getBundle() != null);
	}

	@Override
	public @Nullable String getUsername() {
		return this.properties.getUsername();
	}

	@Override
	public @Nullable String getPassword() {
		return this.properties.getPassword();
	}

	@Override
	public @Nullable SslBundle getSslBundle() {
		String name = this.properties.getSsl().getBundle();
		if (name == null) {
			return null;
		}
		if (this.sslBundles == null) {
			throw new InvalidConfigurationPropertyValueException("etcd.ssl.bundle", name,
					"No SSL bundles are configured (spring.ssl.bundle.*)");
		}
		try {
			return this.sslBundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidConfigurationPropertyValueException("etcd.ssl.bundle", name, ex.getMessage());
		}
	}

}
