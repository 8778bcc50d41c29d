package io.github.etcdspring.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of an etcd endpoint that a test can cut and restore, to
 * simulate a network partition between one client and the cluster while other clients
 * still reach it.
 *
 * @author etcd-spring-boot contributors
 */
public final class TcpProxy implements AutoCloseable {

	private final URI target;

	private final ServerSocket serverSocket;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile boolean cut;

	private volatile boolean closed;

	private final AtomicInteger refused = new AtomicInteger();

	private TcpProxy(URI target) {
		this.target = target;
		try {
			this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread acceptor = new Thread(this::accept, "tcp-proxy-" + this.serverSocket.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Start a proxy.
	 * @param target the endpoint to forward to
	 * @return the running proxy
	 */
	public static TcpProxy to(URI target) {
		return new TcpProxy(target);
	}

	/**
	 * The endpoint clients should use instead of the target.
	 * @return the proxy's endpoint, with the target's scheme
	 */
	public URI endpoint() {
		return URI.create(this.target.getScheme() + "://127.0.0.1:" + this.serverSocket.getLocalPort());
	}

	/**
	 * Close every connection and refuse new ones until {@link #restore()}.
	 */
	public void cut() {
		this.cut = true;
		this.sockets.forEach(TcpProxy::closeQuietly);
		this.sockets.clear();
	}

	public void restore() {
		this.cut = false;
	}

	/**
	 * How many connections were refused while the proxy was cut.
	 * @return the number of refused connections
	 */
	public int refusedConnections() {
		return this.refused.get();
	}

	@Override
	public void close() {
		this.closed = true;
		cut();
		closeQuietly(this.serverSocket);
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket client = this.serverSocket.accept();
				if (this.cut) {
					this.refused.incrementAndGet();
					closeQuietly(client);
					continue;
				}
				Socket server = new Socket();
				server.connect(new InetSocketAddress(this.target.getHost(), this.target.getPort()), 5000);
				this.sockets.add(client);
				this.sockets.add(server);
				pipe(client, server);
				pipe(server, client);
			}
			catch (IOException ex) {
				// closed, or the target is down: the client sees a dropped connection
			}
		}
	}

	private void pipe(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16384];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) != -1) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// connection cut
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.sockets.remove(from);
				this.sockets.remove(to);
			}
		}, "tcp-proxy-pipe");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// already closed
		}
	}

}
