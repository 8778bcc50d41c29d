package io.github.etcdspring.watch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.ObjIntConsumer;

import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import org.jspecify.annotations.Nullable;

/**
 * The jetcd watches a {@link PrefixWatch} has in place, one per range, and their
 * generation. Every callback of a watch carries the generation it was created in and runs
 * on the owner's executor only while that generation is current and the
 * {@link PrefixWatch} open: once the watches are closed or replaced, their late callbacks
 * are dropped. Any thread.
 *
 * @author etcd-spring-boot contributors
 */
final class WatchGeneration {

	private final Watch watchClient;

	private final Executor executor;

	private final BooleanSupplier open;

	private final Object lock = new Object();

	private final List<Watch.Watcher> watchers = new ArrayList<>();

	private volatile long generation;

	/**
	 * The watches of one {@link PrefixWatch}.
	 * @param watchClient creates the watches
	 * @param executor runs every callback, one at a time
	 * @param open whether the {@link PrefixWatch} is open
	 */
	WatchGeneration(Watch watchClient, Executor executor, BooleanSupplier open) {
		this.watchClient = watchClient;
		this.executor = executor;
		this.open = open;
	}

	/**
	 * Close the watches in place and, unless the {@link PrefixWatch} is closed, watch
	 * each range in a new generation, all under one lock.
	 * @param ranges the ranges
	 * @param options the options of the watch of each range, by index
	 * @param onResponse called with each response and the index of its range
	 * @param onBroken called with the error, or {@code null} for an end without one
	 */
	void replace(List<KeyRange> ranges, IntFunction<WatchOption> options, ObjIntConsumer<WatchResponse> onResponse,
			Consumer<@Nullable Throwable> onBroken) {
		synchronized (this.lock) {
			close();
			if (!this.open.getAsBoolean()) {
				return; // closed while the owner was reading
			}
			long current = this.generation;
			for (int index = 0; index < ranges.size(); index++) {
				int rangeIndex = index;
				this.watchers.add(this.watchClient.watch(ranges.get(index).start(), options.apply(index),
						Watch.listener((response) -> onExecutor(current, () -> onResponse.accept(response, rangeIndex)),
								(error) -> onExecutor(current, () -> onBroken.accept(error)),
								() -> onExecutor(current, () -> onBroken.accept(null)))));
			}
		}
	}

	/**
	 * Close the watches in place and start a new generation.
	 */
	void close() {
		synchronized (this.lock) {
			this.generation++;
			this.watchers.forEach(Watch.Watcher::close);
			this.watchers.clear();
		}
	}

	/**
	 * Whether no watch is in place.
	 * @return whether none
	 */
	boolean isEmpty() {
		synchronized (this.lock) {
			return this.watchers.isEmpty();
		}
	}

	private void onExecutor(long generationOfWatch, Runnable task) {
		try {
			this.executor.execute(() -> {
				if (generationOfWatch == this.generation && this.open.getAsBoolean()) {
					task.run();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// the owner shut its executor down: late callbacks have nothing left to
			// update
		}
	}

}
