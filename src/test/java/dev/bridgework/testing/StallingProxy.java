package dev.bridgework.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy between the app and its database that can make the database stop answering: while
 * stalled, every byte in either direction is held (connections stay open, nothing is refused),
 * exactly what a server sees when its database hangs or the network between them drops packets;
 * when the stall ends, what was held is delivered. Connections the app gives up on meanwhile are
 * closed on both sides. Blocking sockets on daemon threads: it runs in the test's JVM, not on an
 * event loop.
 */
public final class StallingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int upstreamPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private boolean stalled;
  private volatile boolean closed;

  private StallingProxy(ServerSocket listener, int upstreamPort) {
    this.listener = listener;
    this.upstreamPort = upstreamPort;
  }

  /** Listens on a free loopback port and forwards to {@code 127.0.0.1:upstreamPort}. */
  public static StallingProxy start(int upstreamPort) throws IOException {
    StallingProxy proxy = new StallingProxy(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()), upstreamPort);
    Thread acceptor = new Thread(proxy::acceptLoop, "stalling-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return proxy;
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** {@code mongodb://127.0.0.1:<port>}: what the app is given as {@code mongo.uri}. */
  public String uri() {
    return "mongodb://127.0.0.1:" + port();
  }

  /** From now on nothing passes until {@link #resume}. */
  public void stall() {
    synchronized (gate) {
      stalled = true;
    }
  }

  public void resume() {
    synchronized (gate) {
      stalled = false;
      gate.notifyAll();
    }
  }

  /** Stalls for {@code duration}, then resumes (blocks the calling thread meanwhile). */
  public void stallFor(Duration duration) throws InterruptedException {
    stall();
    try {
      Thread.sleep(duration.toMillis());
    } finally {
      resume();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket upstream;
        try {
          upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        } catch (IOException down) {
          client.close(); // the database is not there (killed, restarting): the driver sees a refused connection
          continue;
        }
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        open.add(client);
        open.add(upstream);
        pump(client, upstream, "app->db");
        pump(upstream, client, "db->app");
      } catch (IOException e) {
        if (!closed) continue;
      }
    }
  }

  private void pump(Socket from, Socket to, String direction) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          awaitOpen();
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException | InterruptedException ended) {
        // one side closed: close both
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "stalling-proxy-" + direction);
    t.setDaemon(true);
    t.start();
  }

  private void awaitOpen() throws InterruptedException {
    synchronized (gate) {
      while (stalled && !closed) gate.wait();
    }
  }

  private void closeQuietly(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    resume();
    listener.close();
    for (Socket s : open) closeQuietly(s);
  }
}
