package io.github.etcdspring.watch;

/**
 * What a {@link PrefixWatch} does when its watch breaks.
 *
 * @author etcd-spring-boot contributors
 */
public enum Recovery {

	/** Watch again from the last revision seen: the owner's copy stays valid. */
	RESUME,

	/**
	 * Ask the owner to read again ({@link WatchListener.Reset#BROKEN}); it retries with
	 * {@link PrefixWatch#retryLater}.
	 */
	READ_AGAIN

}
