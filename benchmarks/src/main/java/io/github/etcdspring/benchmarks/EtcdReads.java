package io.github.etcdspring.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The reads an etcd member has served, from its own {@code /metrics}: the calls of the KV
 * service's {@code Range} and {@code Txn} methods started so far
 * ({@code grpc_server_started_total}).
 *
 * @author etcd-spring-boot contributors
 */
final class EtcdReads {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final URI metrics;

	EtcdReads(String endpoint) {
		this.metrics = URI.create(endpoint + "/metrics");
	}

	/**
	 * The reads so far.
	 * @return the number of {@code Range} and {@code Txn} calls started
	 */
	long count() {
		String text;
		try {
			text = this.http
				.send(HttpRequest.newBuilder(this.metrics).timeout(Duration.ofSeconds(5)).build(),
						HttpResponse.BodyHandlers.ofString())
				.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + this.metrics, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while reading " + this.metrics, ex);
		}
		return text.lines()
			.filter((line) -> line.startsWith("grpc_server_started_total{"))
			.filter((line) -> line.contains("grpc_service=\"etcdserverpb.KV\""))
			.filter((line) -> line.contains("grpc_method=\"Range\"") || line.contains("grpc_method=\"Txn\""))
			.mapToLong((line) -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

}
