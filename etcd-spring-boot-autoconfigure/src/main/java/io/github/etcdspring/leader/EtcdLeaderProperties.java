package io.github.etcdspring.leader;

import io.github.etcdspring.coordination.ContenderQueue;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Leader election, and the application's own leadership.
 *
 * @author etcd-spring-boot contributors
 */
@ConfigurationProperties(EtcdLeaderProperties.PREFIX)
public class EtcdLeaderProperties {

	public static final String PREFIX = "etcd.leader";

	/**
	 * Prefix of the election keys, after etcd.namespace: a candidate's key is
	 * {prefix}/{name}/{session lease id in hex}, as etcdctl elect and Go's
	 * concurrency.Election write it. Empty for none: the name alone, as 'etcdctl elect
	 * {name}' uses it.
	 */
	private String prefix = "elections";

	/**
	 * Whether the application campaigns in the election etcd.leader.name once its context
	 * has started, publishes leadership events, and runs the work of the
	 * etcdLeaderTaskScheduler while it leads.
	 */
	private boolean enabled;

	/**
	 * Name of the application's election. Defaults to spring.application.name.
	 */
	private @Nullable String name;

	/**
	 * The application's proposal: the value of its key, shown to observers while it
	 * leads. Defaults to the service instance id when the application registers itself,
	 * else {host name}:{process id}.
	 */
	private @Nullable String proposal;

	public String getPrefix() {
		return this.prefix;
	}

	public void setPrefix(String prefix) {
		this.prefix = prefix;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getName() {
		return this.name;
	}

	public void setName(@Nullable String name) {
		this.name = name;
	}

	public @Nullable String getProposal() {
		return this.proposal;
	}

	public void setProposal(@Nullable String proposal) {
		this.proposal = proposal;
	}

	/**
	 * The prefix, checked.
	 * @return the prefix
	 * @throws InvalidConfigurationPropertyValueException when it holds a control
	 * character or whitespace
	 */
	String checkedPrefix() {
		if (this.prefix.chars().anyMatch((c) -> Character.isISOControl(c) || Character.isWhitespace(c))) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".prefix",
					this.prefix.replaceAll("\\p{Cntrl}", "?"),
					"Must not contain whitespace or control characters: nobody could type its keys");
		}
		return this.prefix;
	}

	/**
	 * The application's election name, checked.
	 * @param applicationName spring.application.name, if set
	 * @return the name
	 * @throws InvalidConfigurationPropertyValueException when there is none, or it is not
	 * a valid election name
	 */
	String checkedName(@Nullable String applicationName) {
		String chosen = (this.name != null) ? this.name : applicationName;
		if (chosen == null || chosen.isBlank()) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".name", this.name,
					"Must be set (or spring.application.name) when " + PREFIX + ".enabled is true");
		}
		try {
			new ContenderQueue(this.prefix, chosen);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".name", chosen, ex.getMessage());
		}
		return chosen;
	}

}
