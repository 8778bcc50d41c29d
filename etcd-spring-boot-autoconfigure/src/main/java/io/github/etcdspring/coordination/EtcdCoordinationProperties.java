package io.github.etcdspring.coordination;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The session shared by this application's locks and elections.
 *
 * @author etcd-spring-boot contributors
 */
@ConfigurationProperties(EtcdCoordinationProperties.PREFIX)
public class EtcdCoordinationProperties {

	public static final String PREFIX = "etcd.coordination";

	/**
	 * The shortest session TTL etcd honours with its default election timeout (about 1.5
	 * times it, rounded up).
	 */
	static final Duration MIN_SESSION_TTL = Duration.ofSeconds(2);

	/**
	 * TTL of the session lease that backs every lock and leadership of this application,
	 * kept alive in the background; whole seconds, at least 2s. A holder whose process
	 * stops is replaced after it; a holder cut off from etcd is told its locks are lost
	 * within it.
	 */
	private Duration sessionTtl = Duration.ofSeconds(10);

	public Duration getSessionTtl() {
		return this.sessionTtl;
	}

	public void setSessionTtl(Duration sessionTtl) {
		this.sessionTtl = sessionTtl;
	}

	/**
	 * The session TTL in whole seconds, checked.
	 * @return the TTL
	 * @throws InvalidConfigurationPropertyValueException when under 2 seconds
	 */
	long sessionTtlSeconds() {
		if (this.sessionTtl.compareTo(MIN_SESSION_TTL) < 0) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".session-ttl", this.sessionTtl,
					"Must be at least 2s: etcd does not honour a shorter lease with its default election timeout");
		}
		return this.sessionTtl.toSeconds();
	}

}
