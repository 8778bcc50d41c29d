package io.github.etcdspring.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdspring.client.EtcdFutures;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.origin.OriginTrackedValue;

/**
 * Reads contexts from etcd in one transaction, so that all of them reflect the same
 * revision, and parses them into {@link EtcdPropertySource}s. Shared by the config data
 * loader, the bootstrap locator and the watcher, so that every way of loading
 * configuration produces the same property sources.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdConfigReader {

	private final Client client;

	private final Duration timeout;

	private final DocumentLimits limits;

	/**
	 * A reader that parses documents within the default {@code etcd.config.limits}.
	 * @param client the client
	 * @param timeout the timeout of a read
	 */
	public EtcdConfigReader(Client client, Duration timeout) {
		this(client, timeout, new EtcdConfigProperties.Limits());
	}

	/**
	 * A reader.
	 * @param client the client
	 * @param timeout the timeout of a read
	 * @param limits what a document may ask of the parser
	 * @throws org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException
	 * naming a limit that is not positive
	 */
	public EtcdConfigReader(Client client, Duration timeout, EtcdConfigProperties.Limits limits) {
		this.client = client;
		this.timeout = timeout;
		this.limits = DocumentLimits.of(limits);
	}

	/**
	 * Read contexts.
	 * @param contexts the contexts, in any order
	 * @param skipMalformed receives the documents that cannot be parsed, whose contexts
	 * are then read as empty; {@code null} to throw instead
	 * @return one source per context, in the same order, all at the revision read
	 * @throws MalformedConfigurationException when a document cannot be parsed and
	 * {@code skipMalformed} is {@code null}
	 * @throws RuntimeException the failure of the etcd call, classified by
	 * {@link io.github.etcdspring.client.EtcdFailure#of}
	 */
	public List<EtcdPropertySource> read(List<EtcdConfigContext> contexts,
			@Nullable Consumer<MalformedConfigurationException> skipMalformed) {
		List<Op> reads = new ArrayList<>();
		for (EtcdConfigContext context : contexts) {
			if (context.isKeyValue()) {
				reads.add(Op.get(bytes(context.keyPrefix()), GetOption.builder().isPrefix(true).build()));
			}
			else {
				context.documentKeys().forEach((key) -> reads.add(Op.get(bytes(key), GetOption.DEFAULT)));
			}
		}
		TxnResponse response = EtcdFutures
			.await(this.client.getKVClient().txn().Then(reads.toArray(Op[]::new)).commit(), this.timeout);
		long revision = response.getHeader().getRevision();
		List<GetResponse> results = response.getGetResponses();
		List<EtcdPropertySource> sources = new ArrayList<>(contexts.size());
		int next = 0;
		for (EtcdConfigContext context : contexts) {
			List<KeyValue> keyValues = new ArrayList<>();
			int ranges = context.isKeyValue() ? 1 : context.documentKeys().size();
			for (int i = 0; i < ranges; i++) {
				keyValues.addAll(results.get(next++).getKvs());
			}
			Map<String, Object> properties = new LinkedHashMap<>();
			try {
				if (context.isKeyValue()) {
					keyValues.forEach((keyValue) -> addKeyValue(context, keyValue, properties));
				}
				else {
					keyValues.forEach((document) -> properties.putAll(parse(context, document)));
				}
			}
			catch (MalformedConfigurationException ex) {
				if (skipMalformed == null) {
					throw ex;
				}
				skipMalformed.accept(ex);
				properties.clear();
			}
			sources.add(new EtcdPropertySource(context, properties, revision));
		}
		return sources;
	}

	private Map<String, Object> parse(EtcdConfigContext context, KeyValue document) {
		String key = document.getKey().toString(StandardCharsets.UTF_8);
		return context.documentType(key).parse(key, document.getValue().getBytes(), this.limits);
	}

	/**
	 * A key under a {@code KEY_VALUE} context is one property: its value is held to the
	 * limits of a document, and its name and the context's number of properties to
	 * theirs.
	 */
	private void addKeyValue(EtcdConfigContext context, KeyValue keyValue, Map<String, Object> properties) {
		String key = keyValue.getKey().toString(StandardCharsets.UTF_8);
		String relative = key.substring(context.keyPrefix().length());
		if (relative.isEmpty() || relative.endsWith("/")) {
			return; // a folder marker, as some tools write them
		}
		String name = relative.replace('/', '.');
		if (name.length() > this.limits.maxNameLength()) {
			throw this.limits.nameTooLong(key, 0);
		}
		if (properties.size() >= this.limits.maxProperties()) {
			throw this.limits.tooManyProperties(key, 0);
		}
		String value = DocumentText.decode(key, keyValue.getValue().getBytes(), this.limits);
		properties.put(name, OriginTrackedValue.of(value, new EtcdKeyOrigin(key)));
	}

	private static ByteSequence bytes(String value) {
		return ByteSequence.from(value, StandardCharsets.UTF_8);
	}

}
