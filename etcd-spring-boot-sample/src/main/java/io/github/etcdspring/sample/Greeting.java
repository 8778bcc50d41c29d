package io.github.etcdspring.sample;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.context.config.annotation.RefreshScope;
import org.springframework.stereotype.Component;

/**
 * A message from etcd: a {@code @RefreshScope} bean is created again, with the new value,
 * after each change.
 *
 * @author etcd-spring-boot contributors
 */
@Component
@RefreshScope
public class Greeting {

	private final String message;

	public Greeting(@Value("${greeting.message:Hello (not in etcd yet)}") String message) {
		this.message = message;
	}

	public String getMessage() {
		return this.message;
	}

}
