package io.github.etcdspring.watch;

import java.util.Arrays;
import java.util.List;

import io.etcd.jetcd.watch.WatchEvent;

/**
 * The ranges a {@link PrefixWatch} follows and the revision each has seen: etcd delivers
 * the changes of one revision to each range's watch on its own, so a revision seen by one
 * range may not be by another. The watch as a whole has seen the changes up to the
 * smallest revision of its ranges. Confined to the owner's executor.
 *
 * @author etcd-spring-boot contributors
 */
final class RangeRevisions {

	private List<KeyRange> ranges = List.of();

	private long revision;

	private long[] seenByRange = new long[0];

	/**
	 * Follow the ranges the owner read, each from the revision read. Not the maximum of
	 * the revisions seen before: a recreated cluster counts its revisions from 1 again.
	 * @param ranges the ranges
	 * @param readRevision the revision the owner read them at
	 * @return whether they are other ranges than those followed so far
	 */
	boolean read(List<KeyRange> ranges, long readRevision) {
		boolean otherRanges = !ranges.equals(this.ranges);
		if (otherRanges) {
			this.ranges = List.copyOf(ranges);
		}
		this.revision = readRevision;
		this.seenByRange = new long[this.ranges.size()];
		Arrays.fill(this.seenByRange, readRevision);
		return otherRanges;
	}

	/**
	 * The ranges followed.
	 * @return the ranges, by index
	 */
	List<KeyRange> ranges() {
		return this.ranges;
	}

	/**
	 * The latest revision read, seen or reported by progress notifications, by every
	 * range.
	 * @return the revision
	 */
	long revision() {
		return this.revision;
	}

	/**
	 * The revision to watch a range from: the last revision it has seen itself, whose
	 * changes are dropped as seen. etcd before 3.4.34 and 3.5.15 answers a watch that
	 * starts at the very revision a compaction kept without the deletions of that
	 * revision (the compaction removed their tombstones; etcd-io/etcd#18089), so a
	 * deletion made and compacted while the watch was broken would be lost silently.
	 * Starting one revision earlier turns that case into a compacted revision, and a read
	 * again.
	 * @param rangeIndex the range
	 * @return the revision to start the watch at
	 */
	long watchStart(int rangeIndex) {
		return Math.max(1, this.seenByRange[rangeIndex]);
	}

	/**
	 * The changes of a response that the range has not seen yet, which count as seen from
	 * now on.
	 * @param rangeIndex the range
	 * @param events the events of the response
	 * @return the changes, in the order received
	 */
	List<WatchEvent> unseen(int rangeIndex, List<WatchEvent> events) {
		long seen = this.seenByRange[rangeIndex];
		List<WatchEvent> changes = events.stream()
			.filter((event) -> event.getKeyValue().getModRevision() > seen) // else seen
																			// already
			.toList();
		if (!changes.isEmpty()) {
			seen(rangeIndex,
					changes.stream().mapToLong((event) -> event.getKeyValue().getModRevision()).max().orElseThrow());
		}
		return changes;
	}

	/**
	 * A range has seen every change up to a revision: the watch as a whole has seen those
	 * up to the smallest revision of its ranges.
	 * @param rangeIndex the range
	 * @param seenRevision the revision
	 */
	void seen(int rangeIndex, long seenRevision) {
		this.seenByRange[rangeIndex] = Math.max(this.seenByRange[rangeIndex], seenRevision);
		this.revision = Arrays.stream(this.seenByRange).min().orElse(this.revision);
	}

}
