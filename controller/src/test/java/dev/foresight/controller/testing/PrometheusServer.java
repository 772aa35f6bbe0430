package dev.foresight.controller.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Prometheus server (Debian's {@code prometheus} package) on a free loopback port, with a
 * temporary data directory and a 1 s scrape interval, scraping the given targets. The process is
 * started directly (no shell), so its PID is the server's own; {@link #close()} always stops it and
 * deletes the directory.
 *
 * <p>When the binary is missing the test fails with the command that installs it; CI installs it.
 */
public final class PrometheusServer implements AutoCloseable {

  // One client for every server and poll: each HttpClient owns a selector thread until collected.
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final List<String> command;
  private final Path dir;
  private final Path log;
  private final URI url;
  private volatile Process process;

  private PrometheusServer(List<String> command, Path dir, Path log, URI url) {
    this.command = List.copyOf(command);
    this.dir = dir;
    this.log = log;
    this.url = url;
  }

  /**
   * Starts Prometheus scraping {@code targets} ({@code host:port}, path {@code /metrics}) every
   * second, and waits until it is ready.
   */
  public static PrometheusServer start(List<String> targets) throws Exception {
    return start(targets, null);
  }

  /**
   * Starts Prometheus as {@link #start(List)} does, over the TSDB blocks in {@code blocks} (for
   * example made by {@link #backfill}), with a retention long enough to keep them.
   */
  public static PrometheusServer start(List<String> targets, Path blocks) throws Exception {
    Path binary = binary("prometheus");
    Path dir = Files.createTempDirectory("foresight-prometheus-");
    if (blocks != null) {
      try (Stream<Path> files = Files.walk(blocks)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Path to = dir.resolve("data").resolve(blocks.relativize(f).toString());
          if (Files.isDirectory(f)) {
            Files.createDirectories(to);
          } else {
            Files.copy(f, to);
          }
        }
      }
    }
    int port = freePort();
    String config =
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
            + "scrape_configs:\n  - job_name: test\n    static_configs:\n      - targets: ["
            + targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "))
            + "]\n";
    Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
    PrometheusServer server =
        new PrometheusServer(
            List.of(
                binary.toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--storage.tsdb.retention.time=" + (blocks == null ? "1h" : "30d"),
                "--web.listen-address=127.0.0.1:" + port),
            dir,
            dir.resolve("prometheus.log"),
            URI.create("http://127.0.0.1:" + port));
    try {
      server.launch();
    } catch (Exception | AssertionError e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void launch() throws Exception {
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      awaitReady(Duration.ofSeconds(30));
    } catch (Exception | AssertionError e) {
      String output = Files.exists(log) ? Files.readString(log) : "";
      throw new IllegalStateException("prometheus did not become ready:\n" + output, e);
    }
  }

  /**
   * Stops the process (SIGTERM, as a pod's termination does) and keeps the data directory, as a
   * PersistentVolume keeps it.
   */
  public void stop() {
    Process p = process;
    try {
      p.destroy(); // SIGTERM: Prometheus shuts down cleanly in about 2 s
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts the process again on the same data directory, configuration and port after {@link
   * #stop()}, and waits until it is ready: a restarted pod on its PersistentVolume.
   */
  public void restart() throws Exception {
    if (process.isAlive()) {
      stop();
    }
    launch();
  }

  /** The base URL of the HTTP API. */
  public URI url() {
    return url;
  }

  /** The PID of the Prometheus process itself. */
  public long pid() {
    return process.pid();
  }

  /** The raw answer of an instant query evaluated now, without retries. */
  public String query(String promql) throws IOException, InterruptedException {
    return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  /** Whether every target's last scrape was successful ({@code up == 1}) per the targets API. */
  public String targets() throws Exception {
    return get("/api/v1/targets");
  }

  /** Polls {@code condition} every 200 ms until it holds or {@code timeout} passes. */
  public static void eventually(Duration timeout, String what, Check condition) throws Exception {
    eventually(timeout, Duration.ofMillis(200), what, condition);
  }

  /** Polls {@code condition} every {@code poll} until it holds or {@code timeout} passes. */
  public static void eventually(Duration timeout, Duration poll, String what, Check condition)
      throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    AssertionError last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        condition.run();
        return;
      } catch (AssertionError e) {
        last = e;
      }
      Thread.sleep(poll.toMillis());
    }
    throw new AssertionError(what + " did not happen within " + timeout, last);
  }

  /** A condition that throws {@link AssertionError} until it holds. */
  @FunctionalInterface
  public interface Check {
    void run() throws Exception;
  }

  private void awaitReady(Duration timeout) throws Exception {
    eventually(
        timeout,
        "prometheus ready",
        () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("prometheus exited with " + process.exitValue());
          }
          try {
            if (!get("/-/ready").contains("Ready")) {
              throw new AssertionError("not ready");
            }
          } catch (IOException e) {
            throw new AssertionError("not listening yet", e);
          }
        });
  }

  private String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  @Override
  public void close() throws IOException {
    try {
      if (process != null) {
        stop();
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Writes TSDB blocks from OpenMetrics text ({@code promtool tsdb create-blocks-from openmetrics})
   * into {@code out}, to give a fresh Prometheus a history.
   */
  public static Path backfill(String openMetrics, Path out) throws Exception {
    Path input = Files.writeString(out.resolveSibling(out.getFileName() + ".om"), openMetrics);
    Process p =
        new ProcessBuilder(
                binary("promtool").toString(),
                "tsdb",
                "create-blocks-from",
                "openmetrics",
                "--quiet",
                input.toString(),
                out.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("promtool backfill failed:\n" + output);
    }
    return out;
  }

  /** {@code name} on the PATH; fails the test with install instructions when absent. */
  public static Path binary(String name) {
    Optional<Path> found =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter(s -> !s.isEmpty())
            .map(s -> Path.of(s, name))
            .filter(Files::isExecutable)
            .findFirst();
    if (found.isEmpty()) {
      throw new AssertionError(
          "'"
              + name
              + "' is not on the PATH. These integration tests need a real Prometheus: install it"
              + " with `apt-get install -y --no-install-recommends prometheus` (CI's .ci/run does).");
    }
    return found.get();
  }

  /** A port that was free a moment ago on the loopback interface. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
