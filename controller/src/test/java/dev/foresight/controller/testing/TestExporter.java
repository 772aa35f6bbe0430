package dev.foresight.controller.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * A loopback HTTP server that serves {@code /metrics} in the Prometheus text format with series the
 * test controls. Each series is a line produced at scrape time, so counters can grow with time.
 */
public final class TestExporter implements AutoCloseable {

  private final HttpServer server;
  private final Map<String, Supplier<String>> series = new ConcurrentSkipListMap<>();

  public TestExporter() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          StringBuilder body = new StringBuilder();
          series.forEach(
              (key, line) -> body.append(key).append(' ').append(line.get()).append('\n'));
          byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, b.length);
          exchange.getResponseBody().write(b);
          exchange.close();
        });
    server.start();
  }

  /** {@code host:port} for a scrape config. */
  public String target() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Serves {@code nameAndLabels value} with a fixed value. */
  public TestExporter set(String nameAndLabels, double value) {
    series.put(nameAndLabels, () -> format(value));
    return this;
  }

  /** Serves a counter growing at {@code perSecond} from now. */
  public TestExporter counter(String nameAndLabels, double perSecond) {
    long start = System.nanoTime();
    series.put(nameAndLabels, () -> format(perSecond * (System.nanoTime() - start) / 1e9));
    return this;
  }

  /** Serves {@code value} with an explicit sample timestamp, as if the data were old. */
  public TestExporter setAt(String nameAndLabels, double value, long epochMillis) {
    series.put(nameAndLabels, () -> format(value) + " " + epochMillis);
    return this;
  }

  /** Stops serving the series (Prometheus then marks it stale). */
  public TestExporter remove(String nameAndLabels) {
    series.remove(nameAndLabels);
    return this;
  }

  private static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return Double.toString(v);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
