package io.github.etcdspring.test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.DeleteOption;

/**
 * Short blocking key operations for tests, with failures unwrapped from their futures.
 *
 * @author etcd-spring-boot contributors
 */
public final class EtcdKeys {

	private EtcdKeys() {
	}

	public static void put(Client client, String key, String value) {
		await(client.getKVClient().put(bytes(key), bytes(value)));
	}

	public static void delete(Client client, String key) {
		await(client.getKVClient().delete(bytes(key)));
	}

	/**
	 * Delete every key of the cluster.
	 * @param client the client
	 */
	public static void deleteAll(Client client) {
		ByteSequence everything = ByteSequence.from(new byte[] { 0 });
		await(client.getKVClient().delete(everything, DeleteOption.builder().withRange(everything).build()));
	}

	/**
	 * Read a key.
	 * @param client the client
	 * @param key the key
	 * @return the value, or {@code null} when the key does not exist
	 */
	public static String get(Client client, String key) {
		return await(client.getKVClient().get(bytes(key))).getKvs()
			.stream()
			.map(KeyValue::getValue)
			.map((value) -> value.toString(StandardCharsets.UTF_8))
			.findFirst()
			.orElse(null);
	}

	public static ByteSequence bytes(String value) {
		return ByteSequence.from(value, StandardCharsets.UTF_8);
	}

	/**
	 * Wait for a call, rethrowing its failure.
	 * @param <T> the result type
	 * @param future the call
	 * @return the result
	 */
	public static <T> T await(CompletableFuture<T> future) {
		try {
			return future.get(30, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("etcd did not answer within 30s", ex);
		}
	}

}
