package io.github.etcdspring.discovery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Response;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdspring.client.EtcdFailure;
import io.github.etcdspring.client.EtcdFutures;
import io.github.etcdspring.watch.KeyRange;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Reads the whole registry (every range of the formats read) at one revision for the
 * catalog, in pages that each fit the client's inbound message limit, and checks that
 * etcd answers for it.
 *
 * @author etcd-spring-boot contributors
 */
final class RegistryReader {

	/**
	 * Keys per range read of the registry, fewer when a page exceeds the client's inbound
	 * message limit.
	 */
	static final int PAGE_SIZE = 1000;

	private static final ByteSequence ZERO = ByteSequence.from(new byte[] { 0 });

	private final Client client;

	private final List<KeyRange> ranges;

	private final Duration requestTimeout;

	/**
	 * @param client the client
	 * @param ranges the ranges to read, at least one
	 * @param requestTimeout how long one read may take
	 */
	RegistryReader(Client client, List<KeyRange> ranges, Duration requestTimeout) {
		Assert.notEmpty(ranges, "The registry has at least one range");
		this.client = client;
		this.ranges = List.copyOf(ranges);
		this.requestTimeout = requestTimeout;
	}

	/**
	 * Check with one request that etcd answers for the registry.
	 * @throws IllegalStateException when it does not
	 */
	void probe() {
		try {
			await(countFirstRange());
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Could not read the etcd service registry: "
					+ EtcdFailure.of(ex).description() + " (" + EtcdFailure.messageOf(ex) + ")", ex);
		}
	}

	/**
	 * Check with one request that etcd answers for the registry.
	 * @return the pending request
	 */
	CompletableFuture<Void> probeAsync() {
		return countFirstRange().thenApply((response) -> null);
	}

	private CompletableFuture<GetResponse> countFirstRange() {
		KeyRange range = this.ranges.get(0);
		return this.client.getKVClient()
			.get(range.start(), GetOption.builder().withRange(range.end()).withCountOnly(true).build());
	}

	/**
	 * Every key of the ranges at one revision, in pages that each fit the client's
	 * inbound message limit.
	 * @return the keys and values read, with the revision and the cluster id of the read
	 * @throws RegistryTooLargeException when a single key does not fit
	 * @throws RuntimeException when etcd fails to answer
	 */
	RegistryRead readAll() {
		List<KeyValue> keyValues = new ArrayList<>();
		Response.Header header = null;
		for (KeyRange range : this.ranges) {
			header = readRange(range.start(), range.end(), header, keyValues);
		}
		Assert.state(header != null, "The registry has at least one range");
		return new RegistryRead(header.getRevision(), header.getClusterId(), keyValues);
	}

	/**
	 * Read one range, at the revision of the first read when there was one.
	 * @return the header of the first read
	 */
	private Response.Header readRange(ByteSequence start, ByteSequence end, Response.@Nullable Header first,
			List<KeyValue> keyValues) {
		Response.Header header = first;
		ByteSequence from = start;
		int pageSize = PAGE_SIZE;
		while (true) {
			GetOption.Builder option = GetOption.builder().withRange(end).withLimit(pageSize);
			if (header != null) {
				option.withRevision(header.getRevision());
			}
			GetResponse page;
			try {
				page = await(this.client.getKVClient().get(from, option.build()));
			}
			catch (RuntimeException ex) {
				if (EtcdFailure.of(ex) != EtcdFailure.TOO_LARGE) {
					throw ex;
				}
				if (pageSize == 1) {
					throw new RegistryTooLargeException(nameOfFirstKey(from, end), ex);
				}
				pageSize = Math.max(1, pageSize / 8);
				continue;
			}
			if (header == null) {
				header = page.getHeader();
			}
			keyValues.addAll(page.getKvs());
			if (!page.isMore() || page.getKvs().isEmpty()) {
				return header;
			}
			// the smallest key after the last one read
			from = page.getKvs().get(page.getKvs().size() - 1).getKey().concat(ZERO);
		}
	}

	/**
	 * The key a page of one key failed on, read without its value.
	 */
	private String nameOfFirstKey(ByteSequence from, ByteSequence end) {
		try {
			List<KeyValue> keys = await(this.client.getKVClient()
				.get(from, GetOption.builder().withRange(end).withLimit(1).withKeysOnly(true).build())).getKvs();
			return (keys.isEmpty() ? from : keys.get(0).getKey()).toString(StandardCharsets.UTF_8);
		}
		catch (RuntimeException ex) {
			return from.toString(StandardCharsets.UTF_8) + "...";
		}
	}

	private <T> T await(CompletableFuture<T> future) {
		return EtcdFutures.await(future, this.requestTimeout);
	}

	/**
	 * The registry at one revision.
	 *
	 * @param revision the revision read
	 * @param clusterId the cluster that answered
	 * @param keyValues every key and value of the catalogue ranges, range by range
	 */
	record RegistryRead(long revision, long clusterId, List<KeyValue> keyValues) {
	}

}
