package io.github.etcdspring.client;

import java.util.List;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSessionContext;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;

/**
 * A client {@link SslContext} whose key and trust material can be replaced while the
 * client runs: the gRPC channel that jetcd builds once asks it for an {@link SSLEngine}
 * at each new connection, so connections opened after {@link #update} use the new
 * material, and open ones keep theirs. Used for SSL bundles reloaded on update
 * ({@code spring.ssl.bundle.*.reload-on-update}).
 *
 * @author etcd-spring-boot contributors
 */
final class ReloadableSslContext extends SslContext {

	private volatile SslContext current;

	ReloadableSslContext(SslContext initial) {
		this.current = initial;
	}

	/**
	 * Use other key and trust material for the connections opened from now on.
	 * @param sslContext the new client context, with the same application protocols
	 * (ALPN) as the first one
	 */
	void update(SslContext sslContext) {
		this.current = sslContext;
	}

	@Override
	public boolean isClient() {
		return true;
	}

	@Override
	public List<String> cipherSuites() {
		return this.current.cipherSuites();
	}

	@Override
	public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
		return this.current.applicationProtocolNegotiator();
	}

	@Override
	public SSLEngine newEngine(ByteBufAllocator alloc) {
		return this.current.newEngine(alloc);
	}

	@Override
	public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
		return this.current.newEngine(alloc, peerHost, peerPort);
	}

	@Override
	public SSLSessionContext sessionContext() {
		return this.current.sessionContext();
	}

}
