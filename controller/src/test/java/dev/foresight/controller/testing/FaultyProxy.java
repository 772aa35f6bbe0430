package dev.foresight.controller.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on loopback in front of a real server, whose behaviour a test switches at run time:
 * pass bytes through, hold each new connection's first bytes for a delay (a slow server), or cut
 * every connection (a stopped server). The upstream can be changed, as when a restarted server
 * comes back on another port.
 */
public final class FaultyProxy implements AutoCloseable {

  /** What the proxy does with a new connection. */
  public enum Mode {
    PASS,
    SLOW,
    DOWN
  }

  private final ServerSocket listener;
  private final ExecutorService threads = Executors.newCachedThreadPool(FaultyProxy::daemon);
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile InetSocketAddress upstream;
  private volatile Mode mode = Mode.PASS;
  private volatile Duration delay = Duration.ZERO;

  public FaultyProxy(InetSocketAddress upstream) throws IOException {
    this.upstream = upstream;
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "faulty-proxy");
    t.setDaemon(true);
    return t;
  }

  /** {@code host:port} of the proxy. */
  public String address() {
    return "127.0.0.1:" + listener.getLocalPort();
  }

  public void upstream(InetSocketAddress to) {
    upstream = to;
  }

  public void pass() {
    mode = Mode.PASS;
  }

  /** Every new exchange waits {@code by} before its request is forwarded. */
  public void slow(Duration by) {
    delay = by;
    mode = Mode.SLOW;
    cutAll(); // kept-alive connections would skip the delay
  }

  /** Cuts open connections and every new one, as a stopped server would. */
  public void down() {
    mode = Mode.DOWN;
    cutAll();
  }

  private void cutAll() {
    for (Socket s : open) {
      closeQuietly(s);
    }
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (mode == Mode.DOWN) {
        closeQuietly(client);
        continue;
      }
      threads.execute(() -> connect(client, mode == Mode.SLOW ? delay : Duration.ZERO));
    }
  }

  private void connect(Socket client, Duration wait) {
    open.add(client);
    try {
      if (!wait.isZero()) {
        Thread.sleep(wait.toMillis()); // the fault under test: a server that answers late
      }
      Socket server = new Socket();
      open.add(server);
      server.connect(upstream, 5_000);
      threads.execute(() -> pump(server, client));
      pump(client, server);
    } catch (IOException | InterruptedException e) {
      closeQuietly(client);
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[8192];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // cut or closed: close both ends below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void closeQuietly(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    cutAll();
    threads.shutdownNow();
    try {
      threads.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
