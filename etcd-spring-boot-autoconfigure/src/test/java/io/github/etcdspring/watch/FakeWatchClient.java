package io.github.etcdspring.watch;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;

/**
 * A jetcd watch client that records the watches created; the test plays the server
 * through their listeners.
 */
final class FakeWatchClient {

	final List<Created> created = new ArrayList<>();

	Watch client() {
		return (Watch) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Watch.class },
				(proxy, method, args) -> {
					if (method.getName().equals("watch") && args.length == 3) {
						Created watch = new Created((ByteSequence) args[0], (WatchOption) args[1],
								(Watch.Listener) args[2]);
						this.created.add(watch);
						return (Watch.Watcher) Proxy.newProxyInstance(getClass().getClassLoader(),
								new Class<?>[] { Watch.Watcher.class }, (watcher, watcherMethod, watcherArgs) -> {
									if (watcherMethod.getName().equals("close")) {
										watch.closed = true;
									}
									return null;
								});
					}
					throw new UnsupportedOperationException(method.getName());
				});
	}

	Created last() {
		return this.created.get(this.created.size() - 1);
	}

	static ResponseHeader header(long clusterId, long revision) {
		return ResponseHeader.newBuilder().setClusterId(clusterId).setRevision(revision).build();
	}

	static WatchResponse createdAt(long clusterId, long revision) {
		return new WatchResponse(io.etcd.jetcd.api.WatchResponse.newBuilder()
			.setHeader(header(clusterId, revision))
			.setCreated(true)
			.build());
	}

	static WatchResponse progressAt(long revision) {
		return new WatchResponse(io.etcd.jetcd.api.WatchResponse.newBuilder().setHeader(header(1, revision)).build());
	}

	/**
	 * A response with one put per revision, of the key named after it.
	 */
	static WatchResponse puts(long... revisions) {
		io.etcd.jetcd.api.WatchResponse.Builder response = io.etcd.jetcd.api.WatchResponse.newBuilder()
			.setHeader(header(1, revisions[revisions.length - 1]));
		for (long revision : revisions) {
			response.addEvents(Event.newBuilder()
				.setType(Event.EventType.PUT)
				.setKv(KeyValue.newBuilder()
					.setKey(ByteString.copyFrom("app/" + revision, StandardCharsets.UTF_8))
					.setModRevision(revision)));
		}
		return new WatchResponse(response.build());
	}

	static final class Created {

		final ByteSequence key;

		final WatchOption option;

		final Watch.Listener listener;

		volatile boolean closed;

		Created(ByteSequence key, WatchOption option, Watch.Listener listener) {
			this.key = key;
			this.option = option;
			this.listener = listener;
		}

	}

}
