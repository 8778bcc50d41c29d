package io.github.etcdspring.grpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;

/**
 * A real gRPC server on a free loopback port whose one unary method,
 * {@code test.Echo/Who}, answers its name; no generated stubs.
 */
final class EchoServer implements AutoCloseable {

	static final MethodDescriptor<String, String> WHO = MethodDescriptor.<String, String>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName(MethodDescriptor.generateFullMethodName("test.Echo", "Who"))
		.setRequestMarshaller(new Utf8Marshaller())
		.setResponseMarshaller(new Utf8Marshaller())
		.build();

	private final Server server;

	private EchoServer(Server server) {
		this.server = server;
	}

	static EchoServer start(String name) throws IOException {
		ServerServiceDefinition echo = ServerServiceDefinition.builder("test.Echo")
			.addMethod(WHO, ServerCalls.asyncUnaryCall((request, response) -> {
				response.onNext(name);
				response.onCompleted();
			}))
			.build();
		return new EchoServer(
				NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))
					.addService(echo)
					.build()
					.start());
	}

	int port() {
		return this.server.getPort();
	}

	/**
	 * Call {@code Who} once.
	 * @param channel the channel
	 * @return the name of the server that answered
	 */
	static String who(Channel channel) {
		return ClientCalls.blockingUnaryCall(channel, WHO,
				CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS),
				"who?");
	}

	@Override
	public void close() throws InterruptedException {
		this.server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
	}

	private static final class Utf8Marshaller implements MethodDescriptor.Marshaller<String> {

		@Override
		public InputStream stream(String value) {
			return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public String parse(InputStream stream) {
			try {
				return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
