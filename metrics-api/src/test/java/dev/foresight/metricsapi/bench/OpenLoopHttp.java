package dev.foresight.metricsapi.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * HTTP/1.1 GETs sent open loop over keep-alive connections, as the API aggregator forwards HPA's
 * reads: each connection sends its share of the rate on a fixed schedule, and a request's latency
 * counts from its scheduled send time to the last byte of the response, so a stalled server cannot
 * hide queueing delay behind a waiting client.
 *
 * <p>Latencies (microseconds) go to an HdrHistogram recorder that {@link #interval()} drains. A
 * status other than 200, a broken connection or a response slower than the socket's read timeout is
 * an error; the connection is then opened again and the schedule goes on.
 */
public final class OpenLoopHttp {

  /** One interval's figures: latencies in microseconds since the previous call, and counts. */
  public record Interval(Histogram micros, long completed, long errors, long shed) {}

  private final int rate;
  private final int connections;
  private final Supplier<Socket> connect;
  private final IntFunction<String> request;
  private final long maxLatenessNanos;
  private final Recorder latency = new Recorder(3);
  private final LongAdder completed = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder shed = new LongAdder();
  private volatile boolean stopped;

  /**
   * @param rate requests a second over all connections
   * @param connections keep-alive connections, each with its own thread
   * @param connect opens one connection (TLS handshake included)
   * @param request the whole request text of the {@code n}th request
   * @param maxLateness how late after its due time a request may still be sent
   */
  public OpenLoopHttp(
      int rate,
      int connections,
      Supplier<Socket> connect,
      IntFunction<String> request,
      Duration maxLateness) {
    this.rate = rate;
    this.connections = connections;
    this.connect = connect;
    this.request = request;
    this.maxLatenessNanos = maxLateness.toNanos();
  }

  /**
   * Sends {@code count} requests closed loop on one connection and fails unless each is answered
   * 200: class loading, JIT and first authorizations must not sit in the schedule as a backlog that
   * the measured window then drains.
   */
  public void prime(int count) {
    try (Socket primer = connect.get()) {
      OutputStream out = primer.getOutputStream();
      InputStream in = new BufferedInputStream(primer.getInputStream(), 16384);
      for (int i = 0; i < count; i++) {
        out.write(request.apply(i).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        int status = readResponse(in);
        if (status != 200) {
          throw new IllegalStateException("priming request answered " + status);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs the schedule from {@code startNanos} to {@code endNanos} ({@link System#nanoTime()}
   * values) and returns when every connection finished; only requests due from {@code
   * measureFromNanos} on are recorded.
   */
  public void run(long startNanos, long measureFromNanos, long endNanos)
      throws InterruptedException {
    long intervalNanos = 1_000_000_000L * connections / rate;
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int id = c;
      Thread t =
          new Thread(
              () ->
                  connection(
                      id,
                      startNanos + id * intervalNanos / connections,
                      intervalNanos,
                      measureFromNanos,
                      endNanos),
              "load-" + c);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  /** Ends {@link #run} at each connection's next request. */
  public void stop() {
    stopped = true;
  }

  /** The latencies and counts since the previous call. */
  public Interval interval() {
    return new Interval(
        latency.getIntervalHistogram(),
        completed.sumThenReset(),
        errors.sumThenReset(),
        shed.sumThenReset());
  }

  private void connection(
      int id, long first, long intervalNanos, long measureFromNanos, long endNanos) {
    Connection connection = null;
    long next = first;
    int n = id;
    while (next < endNanos && !stopped) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      boolean measured = next >= measureFromNanos;
      if (System.nanoTime() - next > maxLatenessNanos) {
        if (measured) {
          shed.increment();
        }
        next += intervalNanos;
        n += connections;
        continue;
      }
      try {
        if (connection == null) {
          connection = Connection.open(connect.get());
        }
        connection.out().write(request.apply(n).getBytes(StandardCharsets.US_ASCII));
        connection.out().flush();
        int status = readResponse(connection.in());
        long done = System.nanoTime();
        if (measured) {
          latency.recordValue(Math.min((done - next) / 1000, 60_000_000L));
          completed.increment();
          if (status != 200) {
            errors.increment();
          }
        }
      } catch (IOException | IllegalStateException e) {
        if (measured) {
          errors.increment();
        }
        if (connection != null) {
          connection.close();
        }
        connection = null; // open a new one for the next request
      }
      next += intervalNanos;
      n += connections;
    }
    if (connection != null) {
      connection.close();
    }
  }

  /** A socket with its buffered input, kept across the requests of one connection. */
  private record Connection(Socket socket, OutputStream out, InputStream in) {
    static Connection open(Socket socket) throws IOException {
      return new Connection(
          socket,
          socket.getOutputStream(),
          new BufferedInputStream(socket.getInputStream(), 16384));
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // the connection is being dropped anyway
      }
    }
  }

  /** Reads one HTTP/1.1 response with Content-Length or chunked body; returns its status. */
  private static int readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int lastFour = 0;
    while (lastFour != 0x0d0a0d0a) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed by the server");
      }
      head.append((char) b);
      lastFour = (lastFour << 8) | b;
    }
    String[] lines = head.toString().split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    long length = -1;
    boolean chunked = false;
    for (String line : lines) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(line.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    if (chunked) {
      readChunked(in);
    } else if (length >= 0) {
      in.skipNBytes(length);
    } else {
      throw new IOException("response without Content-Length: " + lines[0]);
    }
    return status;
  }

  private static void readChunked(InputStream in) throws IOException {
    while (true) {
      StringBuilder size = new StringBuilder();
      int b;
      while ((b = in.read()) != '\n') {
        if (b < 0) {
          throw new IOException("truncated chunk");
        }
        if (b != '\r') {
          size.append((char) b);
        }
      }
      int n = Integer.parseInt(size.toString().split(";")[0].trim(), 16);
      in.skipNBytes(n + 2L);
      if (n == 0) {
        return;
      }
    }
  }
}
