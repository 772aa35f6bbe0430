package dev.foresight.controller.demo;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus for the demo: the {@code prometheus} binary found on the PATH, started directly
 * (no shell, so its PID is its own) on loopback with a temporary configuration and data directory,
 * scraping each fleet's path every second. {@link #close()} stops it by that PID and deletes the
 * directory.
 */
final class DemoPrometheus implements AutoCloseable {
  private final Process process;
  private final Path dir;
  private final URI url;

  private DemoPrometheus(Process process, Path dir, URI url) {
    this.process = process;
    this.dir = dir;
    this.url = url;
  }

  /** The {@code prometheus} executable on {@code path} (the PATH variable's value), if any. */
  static Optional<Path> find(String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String d : path.split(File.pathSeparator)) {
      if (d.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(d, "prometheus");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Starts Prometheus and waits until it is ready.
   *
   * @param target {@code host:port} of the fleets' metrics server
   * @param paths one metrics path per fleet, each its own job
   * @param port the port to listen on, 0 for a free one
   * @param timeout how long to wait for readiness
   */
  static DemoPrometheus start(
      Path binary, String target, List<String> paths, int port, Duration timeout)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("foresight-demo-prometheus-");
    int listen = port == 0 ? freePort() : port;
    StringBuilder config =
        new StringBuilder(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
                + "scrape_configs:\n");
    for (int i = 0; i < paths.size(); i++) {
      config
          .append("  - job_name: fleet-")
          .append(i)
          .append("\n    honor_labels: true\n    metrics_path: ")
          .append(paths.get(i))
          .append("\n    static_configs:\n      - targets: ['")
          .append(target)
          .append("']\n");
    }
    Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
    Path log = dir.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--storage.tsdb.retention.time=1h",
                "--web.listen-address=127.0.0.1:" + listen)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    DemoPrometheus server =
        new DemoPrometheus(process, dir, URI.create("http://127.0.0.1:" + listen));
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpClient client = HttpClient.newHttpClient();
    while (true) {
      if (!process.isAlive()) {
        String output = Files.readString(log);
        server.close();
        throw new IOException("prometheus exited with " + process.exitValue() + ":\n" + output);
      }
      try {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(server.url.resolve("/-/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return server;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        String output = Files.readString(log);
        server.close();
        throw new IOException("prometheus not ready after " + timeout + ":\n" + output);
      }
      Thread.sleep(200);
    }
  }

  URI url() {
    return url;
  }

  long pid() {
    return process.pid();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    try {
      process.destroy(); // SIGTERM to its own PID: Prometheus shuts down cleanly
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
