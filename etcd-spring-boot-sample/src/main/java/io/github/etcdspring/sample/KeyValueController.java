package io.github.etcdspring.sample;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reads and writes keys with the auto-configured jetcd {@link Client}: keys land under
 * {@code etcd.namespace}.
 *
 * @author etcd-spring-boot contributors
 */
@RestController
@RequestMapping("/kv")
class KeyValueController {

	private final Client client;

	KeyValueController(Client client) {
		this.client = client;
	}

	@GetMapping("/{key}")
	ResponseEntity<String> get(@PathVariable String key) throws ExecutionException, InterruptedException {
		return this.client.getKVClient()
			.get(bytes(key))
			.get()
			.getKvs()
			.stream()
			.map(KeyValue::getValue)
			.map((value) -> ResponseEntity.ok(value.toString(StandardCharsets.UTF_8)))
			.findFirst()
			.orElse(ResponseEntity.notFound().build());
	}

	@PutMapping("/{key}")
	ResponseEntity<Void> put(@PathVariable String key, @RequestBody String value)
			throws ExecutionException, InterruptedException {
		this.client.getKVClient().put(bytes(key), bytes(value)).get();
		return ResponseEntity.noContent().build();
	}

	private static ByteSequence bytes(String value) {
		return ByteSequence.from(value, StandardCharsets.UTF_8);
	}

}
