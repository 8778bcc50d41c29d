package io.github.etcdspring.discovery;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Response;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;

/**
 * A tap on the watches a real jetcd client creates: counts those started and still open,
 * and can rewrite the revision of one created-notify response, as from a member that has
 * not applied the latest revisions yet. It also counts the reads that failed.
 */
final class WatchTap {

	final AtomicInteger started = new AtomicInteger();

	final Set<Watch.Watcher> open = ConcurrentHashMap.newKeySet();

	final AtomicInteger failedReads = new AtomicInteger();

	final AtomicInteger reads = new AtomicInteger();

	private final Map<Watch.Watcher, Watch.Listener> listeners = new ConcurrentHashMap<>();

	private final AtomicLong nextCreatedLag = new AtomicLong();

	/**
	 * Make the next created-notify response report a revision this many revisions behind
	 * the member's.
	 * @param revisions how far behind
	 */
	void lagNextCreatedWatch(long revisions) {
		this.nextCreatedLag.set(revisions);
	}

	/**
	 * End the open watches with an error, as jetcd does for errors it does not retry by
	 * itself (the server's stream stays as it is).
	 * @param error the error
	 */
	void fail(Throwable error) {
		this.listeners.forEach((watcher, listener) -> listener.onError(error));
	}

	Client wrap(Client client) {
		Watch watch = client.getWatchClient();
		Watch tapped = proxy(Watch.class, (proxy, method, args) -> {
			if (method.getName().equals("watch") && args.length == 3 && args[2] instanceof Watch.Listener listener) {
				this.started.incrementAndGet();
				Watch.Watcher watcher = watch.watch((ByteSequence) args[0], (WatchOption) args[1], tap(listener));
				Watch.Watcher closing = proxy(Watch.Watcher.class, (watcherProxy, watcherMethod, watcherArgs) -> {
					if (watcherMethod.getName().equals("equals")) {
						return watcherProxy == watcherArgs[0];
					}
					if (watcherMethod.getName().equals("hashCode")) {
						return System.identityHashCode(watcherProxy);
					}
					if (watcherMethod.getName().equals("close")) {
						this.open.remove(watcherProxy);
						this.listeners.remove(watcherProxy);
					}
					return invoke(watcherMethod, watcher, watcherArgs);
				});
				this.open.add(closing);
				this.listeners.put(closing, listener);
				return closing;
			}
			return invoke(method, watch, args);
		});
		KV kv = client.getKVClient();
		KV countingFailures = proxy(KV.class, (proxy, method, args) -> {
			Object result = invoke(method, kv, args);
			if (method.getName().equals("get") && result instanceof CompletableFuture<?> future) {
				future.whenComplete((response, failure) -> {
					if (failure != null) {
						this.failedReads.incrementAndGet();
					}
					else {
						this.reads.incrementAndGet();
					}
				});
			}
			return result;
		});
		return proxy(Client.class, (proxy, method, args) -> switch (method.getName()) {
			case "getWatchClient" -> tapped;
			case "getKVClient" -> countingFailures;
			default -> invoke(method, client, args);
		});
	}

	private Watch.Listener tap(Watch.Listener listener) {
		return new Watch.Listener() {

			@Override
			public void onNext(WatchResponse response) {
				long lag = response.isCreatedNotify() ? WatchTap.this.nextCreatedLag.getAndSet(0) : 0;
				listener.onNext((lag > 0) ? lagging(response, lag) : response);
			}

			@Override
			public void onError(Throwable throwable) {
				listener.onError(throwable);
			}

			@Override
			public void onCompleted() {
				listener.onCompleted();
			}

		};
	}

	private static WatchResponse lagging(WatchResponse created, long lag) {
		Response.Header header = created.getHeader();
		return new WatchResponse(io.etcd.jetcd.api.WatchResponse.newBuilder()
			.setHeader(ResponseHeader.newBuilder()
				.setClusterId(header.getClusterId())
				.setMemberId(header.getMemberId())
				.setRaftTerm(header.getRaftTerm())
				.setRevision(header.getRevision() - lag))
			.setCreated(true)
			.build());
	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(Class<T> type, InvocationHandler handler) {
		return (T) Proxy.newProxyInstance(WatchTap.class.getClassLoader(), new Class<?>[] { type }, handler);
	}

	private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

}
