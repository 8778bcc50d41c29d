package io.github.etcdspring.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.github.etcdspring.client.EtcdFutures;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;
import org.springframework.util.Assert;

/**
 * {@link EtcdConfigOperations} on the application's etcd client.
 *
 * @author etcd-spring-boot contributors
 */
public class EtcdConfigTemplate implements EtcdConfigOperations {

	private final Client client;

	private final EtcdConfigProperties properties;

	private final Environment environment;

	private final Duration timeout;

	public EtcdConfigTemplate(Client client, EtcdConfigProperties properties, Environment environment,
			Duration timeout) {
		this.client = client;
		this.properties = properties;
		this.environment = environment;
		this.timeout = timeout;
	}

	@Override
	public List<EtcdConfigContext> getContexts() {
		return EtcdConfigContexts.automatic(this.properties, this.environment.getProperty("spring.application.name"),
				List.of(this.environment.getActiveProfiles()));
	}

	@Override
	public EtcdConfigContext context(String name) {
		Assert.hasText(name, "'name' must not be empty");
		return EtcdConfigContexts.named(name, this.properties);
	}

	@Override
	public Map<String, Object> getProperties(EtcdConfigContext context) {
		EtcdPropertySource source = new EtcdConfigReader(this.client, this.timeout, this.properties.getLimits())
			.read(List.of(context), null)
			.get(0);
		Map<String, Object> values = new LinkedHashMap<>();
		for (String name : source.getPropertyNames()) {
			values.put(name, source.getProperty(name));
		}
		return values;
	}

	@Override
	public Optional<String> getValue(EtcdConfigContext context, String property) {
		return get(valueKey(context, property));
	}

	@Override
	public void putValue(EtcdConfigContext context, String property, String value) {
		await(kv().put(bytes(valueKey(context, property)), bytes(value)));
	}

	@Override
	public boolean putValueIfAbsent(EtcdConfigContext context, String property, String value) {
		return putIfAbsent(valueKey(context, property), value);
	}

	@Override
	public boolean deleteValue(EtcdConfigContext context, String property) {
		return await(kv().delete(bytes(valueKey(context, property)), DeleteOption.DEFAULT)).getDeleted() > 0;
	}

	@Override
	public Optional<String> getDocument(EtcdConfigContext context) {
		List<String> keys = documentKeys(context);
		for (int i = keys.size() - 1; i >= 0; i--) {
			Optional<String> document = get(keys.get(i));
			if (document.isPresent()) {
				return document;
			}
		}
		return Optional.empty();
	}

	@Override
	public void putDocument(EtcdConfigContext context, String document) {
		String key = documentKeyToWrite(context, document);
		await(kv().put(bytes(key), bytes(document), PutOption.DEFAULT));
	}

	@Override
	public boolean putDocumentIfAbsent(EtcdConfigContext context, String document) {
		return putIfAbsent(documentKeyToWrite(context, document), document);
	}

	@Override
	public boolean deleteDocument(EtcdConfigContext context) {
		boolean deleted = false;
		for (String key : documentKeys(context)) {
			deleted |= await(kv().delete(bytes(key))).getDeleted() > 0;
		}
		return deleted;
	}

	private String valueKey(EtcdConfigContext context, String property) {
		Assert.isTrue(context.isKeyValue(), () -> "Context '" + context.path() + "' is stored as " + context.format()
				+ ", not as one key per property: use the document methods");
		Assert.isTrue(ConfigurationPropertyName.isValid(property),
				() -> "'" + property + "' is not a valid property name, such as server.port");
		return context.keyPrefix() + property.replace('.', '/');
	}

	private List<String> documentKeys(EtcdConfigContext context) {
		Assert.isTrue(!context.isKeyValue(), () -> "Context '" + context.path()
				+ "' is stored as one key per property (KEY_VALUE): use the value methods");
		return context.documentKeys();
	}

	/**
	 * The key a document goes to, once it parsed: a FILES context must name its file,
	 * whose extension says how to parse it.
	 */
	private String documentKeyToWrite(EtcdConfigContext context, String document) {
		List<String> keys = documentKeys(context);
		Assert.isTrue(keys.size() == 1, () -> "Name the file of context '" + context.path()
				+ "' with its extension, such as " + context.path() + ".yaml");
		String key = keys.get(0);
		context.documentType(key)
			.parse(key, document.getBytes(StandardCharsets.UTF_8), DocumentLimits.of(this.properties.getLimits()));
		return key;
	}

	private boolean putIfAbsent(String key, String value) {
		ByteSequence keyBytes = bytes(key);
		return await(kv().txn()
			.If(new Cmp(keyBytes, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
			.Then(Op.put(keyBytes, bytes(value), PutOption.DEFAULT))
			.commit()).isSucceeded();
	}

	private Optional<String> get(String key) {
		GetResponse response = await(kv().get(bytes(key), GetOption.DEFAULT));
		return response.getKvs()
			.stream()
			.findFirst()
			.map((keyValue) -> keyValue.getValue().toString(StandardCharsets.UTF_8));
	}

	private KV kv() {
		return this.client.getKVClient();
	}

	private <T> T await(CompletableFuture<T> future) {
		return EtcdFutures.await(future, this.timeout);
	}

	private static ByteSequence bytes(String value) {
		return ByteSequence.from(value, StandardCharsets.UTF_8);
	}

}
