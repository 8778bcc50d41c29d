package io.github.etcdspring.sample.page;

/**
 * One section of the registry page: what it shows now, and a subscription that tells the
 * page each time that changes.
 *
 * @author etcd-spring-boot contributors
 */
interface PageSection {

	/**
	 * The section's name in the state the page receives.
	 * @return the name
	 */
	String name();

	/**
	 * What the section shows now, as records, lists and maps that serialize to JSON.
	 * Called on the page's sending thread.
	 * @return the section's state
	 */
	Object describe();

	/**
	 * Follow etcd, and call {@code changed} after each change of what {@link #describe()}
	 * returns. The call must not block.
	 * @param changed tells the page
	 */
	void start(Runnable changed);

	/**
	 * Stop following etcd.
	 */
	void stop();

}
