package io.github.etcdspring.format.polyglot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.etcdspring.format.EtcdServiceInstance;
import io.github.etcdspring.format.MalformedInstanceException;
import io.github.etcdspring.format.ServiceInstanceCodec;
import org.jspecify.annotations.Nullable;

/**
 * Kratos's value ({@code registry.ServiceInstance}):
 * {@code {"id":"...","name":"helloworld","version":"v1.0.0","metadata":null,"endpoints":["grpc://192.168.1.10:9000","http://192.168.1.10:8000"]}}.
 * <p>
 * The instance is reached at its {@code http://} (or {@code https://}, secure) endpoint,
 * or at its {@code grpc://} ({@code grpcs://}) one when it has no HTTP endpoint. Both
 * ports are in the metadata, {@value #HTTP_PORT} and {@value #GRPC_PORT}, and the version
 * under {@value #VERSION}. The value must name the service of its key.
 * <p>
 * Written, the version comes from the metadata (empty without one), the metadata is
 * {@code null} when empty, and the endpoints are {@code grpc://} at {@value #GRPC_PORT}
 * when there is one, then {@code http://} at the instance's port unless that is the gRPC
 * port (a gRPC-only instance).
 *
 * @author etcd-spring-boot contributors
 */
final class KratosCodec implements ServiceInstanceCodec {

	static final String NAME = "kratos";

	static final String HTTP_PORT = "http.port";

	static final String GRPC_PORT = "grpc.port";

	static final String VERSION = "version";

	private static final int MAX_ENDPOINTS = 64;

	@Override
	public byte[] encode(EtcdServiceInstance instance) {
		Map<String, String> registered = instance.getRegisteredMetadata();
		Map<String, String> metadata = ForeignValues.metadataToWrite(instance, HTTP_PORT, GRPC_PORT, VERSION);
		List<String> endpoints = new ArrayList<>();
		String grpcPort = registered.get(GRPC_PORT);
		if (grpcPort == null && ForeignValues.isGrpcRegistration(instance)) {
			grpcPort = Integer.toString(instance.getPort());
		}
		if (grpcPort != null) {
			endpoints.add((instance.isSecure() ? "grpcs://" : "grpc://")
					+ new HostPort(instance.getHost(), HostPort.port(grpcPort, "'" + GRPC_PORT + "'")).joined());
		}
		if (grpcPort == null || !grpcPort.equals(Integer.toString(instance.getPort()))) {
			endpoints.add(instance.getScheme() + "://" + new HostPort(instance.getHost(), instance.getPort()).joined());
		}
		return new GoJsonWriter().string("id", instance.getInstanceId())
			.string("name", instance.getServiceId())
			.string("version", registered.getOrDefault(VERSION, ""))
			.map("metadata", metadata.isEmpty() ? null : metadata)
			.strings("endpoints", endpoints)
			.toBytes();
	}

	@Override
	public EtcdServiceInstance decode(String serviceId, String instanceId, byte[] value) {
		return ForeignValues.decode(NAME, value, () -> {
			JsonFields fields = JsonFields.read(value);
			ForeignValues.checkService(fields.requiredText("name"), serviceId);
			Map<String, String> metadata = new LinkedHashMap<>(fields.map("metadata"));
			String version = fields.text("version");
			if (version != null && !version.isEmpty()) {
				metadata.put(VERSION, version);
			}
			Endpoint http = null;
			Endpoint grpc = null;
			for (String url : endpoints(fields.array("endpoints"))) {
				Endpoint endpoint = Endpoint.parse(url);
				if (endpoint.http() && http == null) {
					http = endpoint;
					metadata.put(HTTP_PORT, Integer.toString(endpoint.address().port()));
				}
				else if (!endpoint.http() && grpc == null) {
					grpc = endpoint;
					metadata.put(GRPC_PORT, Integer.toString(endpoint.address().port()));
				}
			}
			Endpoint reached = (http != null) ? http : grpc;
			if (reached == null) {
				throw new MalformedInstanceException("no http://, https://, grpc:// or grpcs:// endpoint");
			}
			return ForeignValues.instance(NAME, serviceId, instanceId, reached.address(), reached.secure(), true, 1,
					metadata);
		});
	}

	private static List<String> endpoints(@Nullable JsonNode array) {
		if (array == null) {
			return List.of();
		}
		if (array.size() > MAX_ENDPOINTS) {
			throw new MalformedInstanceException(
					"'endpoints' has " + array.size() + " entries, more than " + MAX_ENDPOINTS);
		}
		List<String> urls = new ArrayList<>();
		for (JsonNode element : array) {
			if (!element.isTextual()) {
				throw new MalformedInstanceException("'endpoints' holds a value that is not a string");
			}
			urls.add(element.textValue());
		}
		return urls;
	}

	/**
	 * One endpoint URL, {@code scheme://host:port} with an optional query.
	 */
	private record Endpoint(boolean http, boolean secure, HostPort address) {

		static Endpoint parse(String url) {
			int colon = url.indexOf("://");
			String scheme = (colon > 0) ? url.substring(0, colon) : "";
			boolean http = scheme.equals("http") || scheme.equals("https");
			if (!http && !scheme.equals("grpc") && !scheme.equals("grpcs")) {
				throw new MalformedInstanceException("endpoint " + Excerpt.of(url) + " is not http(s) or grpc(s)");
			}
			return new Endpoint(http, scheme.endsWith("s"),
					HostPort.parseAuthority(url.substring(colon + 3), "endpoint"));
		}

	}

}
