package io.github.etcdspring.registry;

import io.github.etcdspring.format.InstanceStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * Thrown for a status that the registry does not know; {@code /actuator/serviceregistry}
 * answers it with 400.
 *
 * @author etcd-spring-boot contributors
 */
@ResponseStatus(HttpStatus.BAD_REQUEST)
public class InvalidRegistrationStatusException extends IllegalArgumentException {

	public InvalidRegistrationStatusException(@Nullable String status) {
		super("Unknown registration status '" + status + "': expected one of " + InstanceStatus.ALL);
	}

}
