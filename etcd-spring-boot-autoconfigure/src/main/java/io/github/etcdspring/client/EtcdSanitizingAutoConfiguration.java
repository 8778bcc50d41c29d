package io.github.etcdspring.client;

import java.util.Locale;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Masks the etcd password in the {@code env} and {@code configprops} actuator endpoints
 * even when they are set to show values, since Spring Boot no longer masks values by key
 * name on its own. The password is recognised under every name that binds to
 * {@code etcd.password}: the environment endpoint shows each property source by its own
 * names, such as the environment variable {@code ETCD_PASSWORD} of the README's
 * {@code ${ETCD_PASSWORD}} pattern.
 *
 * @author etcd-spring-boot contributors
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
@ConditionalOnEtcdEnabled
public class EtcdSanitizingAutoConfiguration {

	private static final String PASSWORD = uniform(EtcdProperties.PREFIX + ".password");

	@Bean
	@ConditionalOnMissingBean(name = "etcdPasswordSanitizingFunction")
	SanitizingFunction etcdPasswordSanitizingFunction() {
		return SanitizingFunction.sanitizeValue().ifKeyMatches(EtcdSanitizingAutoConfiguration::isPassword);
	}

	/**
	 * Whether a key names the password in any of its relaxed forms
	 * ({@code etcd.password}, {@code ETCD_PASSWORD}, {@code etcd[password]},
	 * {@code etcd.pass-word}, ...). The rare key that only looks alike is masked too.
	 */
	private static boolean isPassword(String key) {
		return key != null && PASSWORD.equals(uniform(key));
	}

	private static String uniform(String key) {
		return key.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
	}

}
