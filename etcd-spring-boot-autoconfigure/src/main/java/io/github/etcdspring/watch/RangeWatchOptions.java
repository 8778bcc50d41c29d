package io.github.etcdspring.watch;

import io.etcd.jetcd.options.WatchOption;

/**
 * How a {@link PrefixWatch} asks etcd to watch a range: from a revision, with progress
 * notifications (which advance the revision followed), a notification of the created
 * watch (which tells a restored cluster) and require-leader (a member cut off from its
 * cluster would otherwise stay silent); for deletions only, without the puts and with the
 * key-values deleted.
 *
 * @author etcd-spring-boot contributors
 */
final class RangeWatchOptions {

	private volatile boolean deletionsOnly;

	/**
	 * Ask for deletions only, each with the key-value it deleted.
	 */
	void deletionsOnly() {
		this.deletionsOnly = true;
	}

	/**
	 * The options of a watch of a range.
	 * @param range the range
	 * @param startRevision the revision to start at
	 * @return the options
	 */
	WatchOption of(KeyRange range, long startRevision) {
		WatchOption.Builder option = WatchOption.builder()
			.withRevision(startRevision)
			.withProgressNotify(true)
			.withCreateNotify(true)
			.withRequireLeader(true)
			.withNoPut(this.deletionsOnly)
			.withPrevKV(this.deletionsOnly);
		if (range.prefix()) {
			// the range as read: the empty prefix watches from \0 to the end
			option.withRange(range.end());
		}
		return option.build();
	}

}
