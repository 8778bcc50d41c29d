package io.github.etcdspring.benchmarks;

import java.util.Collection;
import java.util.Locale;

/**
 * Measured durations in nanoseconds, summarized by nearest-rank percentiles.
 *
 * @author etcd-spring-boot contributors
 */
final class Samples {

	private final long[] sorted;

	Samples(Collection<Long> nanos) {
		this.sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
		if (this.sorted.length == 0) {
			throw new IllegalArgumentException("No samples");
		}
	}

	/**
	 * The smallest sample that at least {@code percent} percent of the samples do not
	 * exceed.
	 * @param percent from 0 (exclusive) to 100
	 * @return the sample, in nanoseconds
	 */
	long percentile(double percent) {
		int rank = (int) Math.ceil(percent / 100 * this.sorted.length);
		return this.sorted[Math.max(rank, 1) - 1];
	}

	long min() {
		return this.sorted[0];
	}

	long median() {
		return percentile(50);
	}

	long max() {
		return this.sorted[this.sorted.length - 1];
	}

	/**
	 * A table row of the median, p90, p99 and maximum in milliseconds.
	 * @param label the first cell
	 * @return the Markdown row
	 */
	String millisRow(String label) {
		return "| " + label + " | " + millis(median()) + " | " + millis(percentile(90)) + " | " + millis(percentile(99))
				+ " | " + millis(max()) + " |";
	}

	static String millis(long nanos) {
		return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
	}

}
