package dev.foresight.metricsapi.bench;

import dev.foresight.metricsapi.ExternalMetricResolver;
import dev.foresight.metricsapi.MetricCatalog;
import dev.foresight.metricsapi.MetricsApiServer;
import dev.foresight.metricsapi.MetricsApiServerConfig;
import dev.foresight.metricsapi.ServerStats;
import dev.foresight.metricsapi.security.CachingAuthorizer;
import dev.foresight.metricsapi.security.FileRequestHeaderConfig;
import dev.foresight.metricsapi.security.FileServingCertificate;
import dev.foresight.metricsapi.security.RequestHeaderAuthenticator;
import dev.foresight.metricsapi.security.SubjectAccessReviewAuthorizer;
import dev.foresight.metricsapi.testing.Decisions;
import dev.foresight.metricsapi.testing.FakeKubeApi;
import dev.foresight.metricsapi.testing.TestPki;
import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.WorkloadRef;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocket;
import org.HdrHistogram.Histogram;

/**
 * Load generator for the external metrics API: open-loop requests at a fixed rate over keep-alive
 * mTLS connections on loopback, as the aggregator forwards HPA's reads, with latency measured from
 * each request's scheduled send time (so a stalled server cannot hide queueing delay). Then, when
 * the {@code prometheus} binary is on the PATH, the same load against a real Prometheus on loopback
 * running the PromQL query an adapter such as prometheus-adapter makes per HPA read for the same
 * signal, and the ratio of the two.
 *
 * <p>Not a test: run it with {@code ./mvnw -B -q -pl metrics-api -am process-test-classes
 * -Pload-generator} (arguments through {@code -Dload.args="--rate 2000 --seconds 30"}).
 */
public final class LoadGenerator {

  private static final String HPA_USER =
      "system:serviceaccount:kube-system:horizontal-pod-autoscaler";
  private static final int WORKLOADS = 50;

  private LoadGenerator() {}

  /**
   * Options: --rate N (requests/s), --seconds N, --warmup N, --connections N, --promql 0|1 (run the
   * Prometheus comparison when the binary is present; default 1).
   */
  public static void main(String[] args) throws Exception {
    int rate = 2000;
    int seconds = 30;
    int warmup = 20;
    int connections = 8;
    boolean promql = true;
    for (int i = 0; i + 1 < args.length; i += 2) {
      int v = Integer.parseInt(args[i + 1]);
      switch (args[i]) {
        case "--rate" -> rate = v;
        case "--seconds" -> seconds = v;
        case "--warmup" -> warmup = v;
        case "--connections" -> connections = v;
        case "--promql" -> promql = v != 0;
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; expected --rate, --seconds, --warmup, --connections");
      }
    }
    System.out.printf(
        Locale.ROOT,
        "offered load %d req/s for %d s (after %d s warm-up) over %d keep-alive connections,"
            + " %d cores%n",
        rate,
        seconds,
        warmup,
        connections,
        Runtime.getRuntime().availableProcessors());
    Result ours = foresight(rate, seconds, warmup, connections);
    ours.print("foresight metrics-api (HTTPS, mTLS, JSON)");
    Path prometheus = promql ? findOnPath("prometheus") : null;
    if (prometheus == null) {
      System.out.println("prometheus not on PATH: PromQL comparison skipped");
      return;
    }
    Result prom = prometheus(prometheus, rate, seconds, warmup, connections);
    prom.print("PromQL instant query to Prometheus (HTTP)");
    System.out.printf(
        Locale.ROOT,
        "ratio PromQL / foresight: p50 %.1fx, p99 %.1fx%n",
        prom.histogram.getValueAtPercentile(50) / (double) ours.histogram.getValueAtPercentile(50),
        prom.histogram.getValueAtPercentile(99) / (double) ours.histogram.getValueAtPercentile(99));
  }

  private static Result foresight(int rate, int seconds, int warmup, int connections)
      throws Exception {
    Path dir = Files.createTempDirectory("metrics-api-load");
    TestPki frontProxy = TestPki.newCa("front-proxy-ca");
    TestPki serving = TestPki.newCa("serving-ca");
    TestPki.Issued aggregator = frontProxy.client("front-proxy-client");
    Path[] tls = serving.server("localhost").writePem(dir, "tls");
    Path ca = dir.resolve("front-proxy-ca.crt");
    Files.writeString(ca, frontProxy.caPem());

    InMemoryDecisionStore store = new InMemoryDecisionStore();
    for (int i = 0; i < WORKLOADS; i++) {
      store.put(Decisions.typical(WorkloadRef.deployment("serving", "w" + i), Instant.now()));
    }
    try (FakeKubeApi kube = new FakeKubeApi().allow(Set.of(HPA_USER))) {
      FileServingCertificate cert = FileServingCertificate.load(tls[0], tls[1]);
      FileRequestHeaderConfig rh = FileRequestHeaderConfig.load(ca, Set.of("front-proxy-client"));
      ServerStats stats = new ServerStats();
      try (MetricsApiServer server =
          MetricsApiServer.start(
              MetricsApiServerConfig.defaults()
                  .withListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
              new ExternalMetricResolver(
                  store, MetricCatalog.standard(), Clock.systemUTC(), Duration.ofMinutes(5), stats),
              cert.keyManager(),
              new RequestHeaderAuthenticator(rh),
              new CachingAuthorizer(
                  new SubjectAccessReviewAuthorizer(kube.client()),
                  Duration.ofSeconds(10),
                  Duration.ofSeconds(10),
                  Clock.systemUTC(),
                  10_000),
              List.of(cert::reloadIfChanged, rh::refresh),
              stats)) {
        int port = server.address().getPort();
        javax.net.ssl.SSLSocketFactory factory =
            serving.clientContext(aggregator).getSocketFactory();
        Supplier<Socket> connect =
            () -> {
              try {
                SSLSocket s = (SSLSocket) factory.createSocket("127.0.0.1", port);
                s.setTcpNoDelay(true);
                s.startHandshake();
                return s;
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            };
        return run(
            rate,
            seconds,
            warmup,
            connections,
            connect,
            i ->
                "GET /apis/external.metrics.k8s.io/v1beta1/namespaces/serving/"
                    + "foresight_signal_queue?labelSelector="
                    + URLEncoder.encode("policy=w" + (i % WORKLOADS), StandardCharsets.UTF_8)
                    + " HTTP/1.1\r\nHost: 127.0.0.1:"
                    + port
                    + "\r\nAccept: application/json\r\nX-Remote-User: "
                    + HPA_USER
                    + "\r\nX-Remote-Group: system:serviceaccounts\r\n"
                    + "X-Remote-Group: system:authenticated\r\n\r\n");
      }
    }
  }

  private static Result prometheus(Path binary, int rate, int seconds, int warmup, int connections)
      throws Exception {
    Path dir = Files.createTempDirectory("metrics-api-prometheus");
    // A vLLM-like exposition with the queue signal of every workload, scraped every second.
    com.sun.net.httpserver.HttpServer exporter =
        com.sun.net.httpserver.HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    StringBuilder exposition = new StringBuilder("# TYPE vllm:num_requests_waiting gauge\n");
    for (int i = 0; i < WORKLOADS; i++) {
      exposition.append(
          String.format(
              Locale.ROOT,
              "vllm:num_requests_waiting{namespace=\"serving\",deployment=\"w%d\",pod=\"w%d-0\"} %d%n",
              i,
              i,
              37));
    }
    byte[] body = exposition.toString().getBytes(StandardCharsets.UTF_8);
    exporter.createContext(
        "/metrics",
        ex -> {
          ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    exporter.start();
    int promPort = freePort();
    Files.writeString(
        dir.resolve("prometheus.yml"),
        "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: vllm\n    static_configs:\n"
            + "      - targets: ['127.0.0.1:"
            + exporter.getAddress().getPort()
            + "']\n");
    Process p =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + promPort,
                "--storage.tsdb.retention.time=1h")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    try {
      String query = "sum(vllm:num_requests_waiting{namespace=\"serving\",deployment=\"w%d\"})";
      waitForData(promPort, String.format(Locale.ROOT, query, 0));
      Supplier<Socket> connect =
          () -> {
            try {
              Socket s = new Socket("127.0.0.1", promPort);
              s.setTcpNoDelay(true);
              return s;
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
          };
      return run(
          rate,
          seconds,
          warmup,
          connections,
          connect,
          i ->
              "GET /api/v1/query?query="
                  + URLEncoder.encode(
                      String.format(Locale.ROOT, query, i % WORKLOADS), StandardCharsets.UTF_8)
                  + " HTTP/1.1\r\nHost: 127.0.0.1:"
                  + promPort
                  + "\r\nAccept: application/json\r\n\r\n");
    } finally {
      p.destroy();
      p.waitFor();
      exporter.stop(0);
    }
  }

  private static void waitForData(int port, String query) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + port
                + "/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        String r =
            client
                .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        if (r.contains("\"value\"")) {
          return;
        }
      } catch (IOException notYet) {
        // Prometheus is still starting.
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("Prometheus had no data for " + query + " within 60 s");
  }

  /** Latencies in microseconds, from scheduled send to last byte of the response. */
  private record Result(Histogram histogram, long errors, double achieved, double cpuMicros) {
    void print(String title) {
      System.out.printf(
          Locale.ROOT,
          "%-45s n=%d achieved=%.0f req/s errors=%d  p50=%.3f ms p90=%.3f ms p99=%.3f ms"
              + " p99.9=%.3f ms max=%.3f ms  process CPU %.0f us/req (this JVM: client + server)%n",
          title,
          histogram.getTotalCount(),
          achieved,
          errors,
          histogram.getValueAtPercentile(50) / 1000.0,
          histogram.getValueAtPercentile(90) / 1000.0,
          histogram.getValueAtPercentile(99) / 1000.0,
          histogram.getValueAtPercentile(99.9) / 1000.0,
          histogram.getMaxValue() / 1000.0,
          cpuMicros);
    }
  }

  private static Result run(
      int rate,
      int seconds,
      int warmup,
      int connections,
      Supplier<Socket> connect,
      IntFunction<String> request)
      throws InterruptedException {
    OpenLoopHttp load =
        new OpenLoopHttp(rate, connections, connect, request, Duration.ofSeconds(60));
    load.prime(2000);
    long start = System.nanoTime() + 200_000_000L;
    long measureFrom = start + warmup * 1_000_000_000L;
    long end = measureFrom + seconds * 1_000_000_000L;
    Thread runner =
        new Thread(
            () -> {
              try {
                load.run(start, measureFrom, end);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "load");
    runner.start();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    LockSupport.parkNanos(Math.max(0, measureFrom - System.nanoTime()));
    long cpuFrom = os.getProcessCpuTime();
    runner.join();
    long cpu = os.getProcessCpuTime() - cpuFrom;
    OpenLoopHttp.Interval measured = load.interval();
    long count = measured.micros().getTotalCount();
    return new Result(
        measured.micros(),
        measured.errors() + measured.shed(),
        count / (double) seconds,
        cpu / 1000.0 / Math.max(1, count));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Path findOnPath(String name) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
