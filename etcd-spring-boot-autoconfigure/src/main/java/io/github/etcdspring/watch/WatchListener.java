package io.github.etcdspring.watch;

import java.util.List;

import io.etcd.jetcd.watch.WatchEvent;
import org.jspecify.annotations.Nullable;

/**
 * The owner of a {@link PrefixWatch}; every method is called on the owner's executor.
 *
 * @author etcd-spring-boot contributors
 */
public interface WatchListener {

	/**
	 * Changes after the revision followed, in revision order, each seen once.
	 * @param changes the events of one watch response
	 */
	void onChanges(List<WatchEvent> changes);

	/**
	 * A watch is in place: etcd confirmed it, and from now on it delivers the changes
	 * after the revision followed. Those that etcd has to replay from its history (when
	 * the revision followed is behind etcd's) come from its loop for such watches, up to
	 * 100 ms later; an owner waiting for one change may read once to skip that wait.
	 */
	default void onWatching() {
	}

	/**
	 * Read again, now or with {@link PrefixWatch#retryLater}, then
	 * {@link PrefixWatch#start} from the revision read. The watches are closed already.
	 * @param reset why
	 * @param cause the error, if there was one
	 */
	void onReset(Reset reset, @Nullable Throwable cause);

	/**
	 * Why the owner must read again: what it read before may not be continued by a watch.
	 */
	enum Reset {

		/** The revision to resume from was compacted. */
		COMPACTED,

		/**
		 * The changes to resume with exceed the size the client accepts; a paged read
		 * does not.
		 */
		TOO_LARGE,

		/** The cluster was restored or recreated. */
		RESTORED,

		/** The watch broke, with {@link Recovery#READ_AGAIN}. */
		BROKEN,

		/**
		 * {@link WatchListener#onChanges} threw: the owner's copy may lack those changes.
		 */
		NOT_APPLIED

	}

}
