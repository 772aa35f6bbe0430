package dev.foresight.controller.bench;

import dev.foresight.controller.ControllerApp;
import dev.foresight.controller.ControllerFromFlags;
import dev.foresight.controller.prometheus.PrometheusClient;
import dev.foresight.controller.testing.PrometheusServer;
import dev.foresight.controller.testing.TestExporter;
import dev.foresight.controller.testing.TestPki;
import dev.foresight.metricsapi.bench.OpenLoopHttp;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.scaler.bench.KedaRequests;
import dev.foresight.scaler.bench.OpenLoopPairs;
import dev.foresight.scaler.bench.StreamIsActiveStreams;
import dev.foresight.scaler.proto.ExternalScalerGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.HdrHistogram.Histogram;

/**
 * The combined load and soak run (not a test: a main). Starts a real Prometheus scraping {@code
 * policies} vLLM deployments from a test exporter, then {@code foresight run} in standalone mode in
 * this JVM, governing one policy per deployment, with the KEDA scaler on mTLS (client certificate
 * required) and the external metrics API on mTLS with a request-header CA, as the aggregator calls
 * it. Once every policy has its first decision it runs, all at once and for {@code duration}:
 *
 * <ul>
 *   <li>{@code streams} StreamIsActive streams on one mTLS connection;
 *   <li>KEDA's GetMetrics+IsActive pairs, open loop at {@code pairs} a second, on another;
 *   <li>metrics API GETs of {@code foresight_desired_replicas}, open loop at {@code metricsApi} a
 *       second over {@code connections} keep-alive mTLS connections;
 *   <li>the controller's own loop over every policy each {@code loopPeriod}.
 * </ul>
 *
 * <p>Every {@code report} seconds and at the end it prints one line per stream of work (achieved
 * rate, errors, p50/p99/p99.9/max of that interval, latency from each request's scheduled time so
 * that a stall cannot hide) and one for the JVM; then a summary of the whole run. The exit code is
 * 1 when anything failed: a call error or deadline (10 s), a non-200 answer, a request shed because
 * the server fell too far behind (two seconds of pairs in flight, or a metrics API request 10 s
 * late), a stream that ended or stayed silent longer than twice the server's 30 s repeat, an
 * evaluation error of the loop, an unanswered {@code /metrics}.
 *
 * <p><b>One JVM.</b> Clients and controller share this JVM, so {@code heap after GC} includes the
 * clients' fixed-size state (histograms, stream observers, connection buffers): growth over the run
 * is the controller's. One JVM keeps the run a single command and lets it read the controller's
 * heap and threads directly; the price is that client and server CPU are not separated (the loop's
 * own threads are). The heap is read after a forced full GC at each report; that pause lands in the
 * next interval's max. The decision history behind {@code /decisions} fills during the first 20
 * ticks (100 s at the 5 s period), so the heap grows until then: judge flatness after it. Clients,
 * controller and Prometheus also share the machine's cores, which the header prints.
 *
 * <pre>
 * ./mvnw -B -q -pl controller -am process-test-classes -Psoak -Dsoak.args="duration=600"
 * </pre>
 */
public final class SoakRun {

  private static final String NAMESPACE = "bench";
  private static final String HPA_USER =
      "system:serviceaccount:kube-system:horizontal-pod-autoscaler";
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);

  /**
   * A stream is silent for too long past twice the server's default activity repeat, plus slack.
   */
  private static final Duration SILENCE_LIMIT = Duration.ofSeconds(70);

  private SoakRun() {}

  /** What the whole run did; {@link #errors()} is the exit criterion. */
  record Summary(
      long pairs,
      long pairErrors,
      long metricsApiRequests,
      long metricsApiErrors,
      long streamMessages,
      long streamErrors,
      long loopTicks,
      long loopErrors) {
    long errors() {
      return pairErrors + metricsApiErrors + streamErrors + loopErrors;
    }
  }

  public static void main(String[] args) throws Exception {
    SoakSettings settings;
    try {
      settings = SoakSettings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("soak: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      Summary summary = run(settings, System.out);
      System.exit(summary.errors() == 0 ? 0 : 1);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.out.println("result: FAIL, the run itself failed: " + e);
      System.exit(1);
    }
  }

  /** Runs the whole soak, printing as it goes, and returns its totals. */
  static Summary run(SoakSettings settings, PrintStream out) throws Exception {
    Path dir = Files.createTempDirectory("foresight-soak-");
    try {
      return runIn(dir, settings, out);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Summary runIn(Path dir, SoakSettings settings, PrintStream out) throws Exception {
    out.printf(
        Locale.ROOT,
        "soak: %s; %d cores shared by clients, controller and Prometheus; one JVM, max heap %d MiB%n",
        settings.describe(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    long began = System.nanoTime();
    VllmFleet fleet = new VllmFleet(NAMESPACE, settings.policies());
    Pki pki = Pki.write(dir);
    try (TestExporter exporter = new TestExporter()) {
      fleet.serveOn(exporter);
      try (PrometheusServer prometheus = PrometheusServer.start(List.of(exporter.target()))) {
        fleet.awaitIngested(
            new PrometheusClient(
                new PrometheusClient.Settings(
                    prometheus.url(),
                    Optional.empty(),
                    Optional.empty(),
                    Duration.ofSeconds(5),
                    1,
                    Duration.ofMillis(200))));
        long ingested = System.nanoTime();
        Path policies = fleet.writePolicies(dir.resolve("policies.yaml"));
        try (ControllerApp app = startController(prometheus, policies, pki, settings)) {
          awaitFirstDecisions(app, fleet);
          out.printf(
              Locale.ROOT,
              "set-up: Prometheus ingested the fleet in %.1f s, controller served every policy %.1f s"
                  + " later%n",
              (ingested - began) / 1e9,
              (System.nanoTime() - ingested) / 1e9);
          return drive(app, prometheus, fleet, pki, settings, out);
        }
      }
    }
  }

  private static ControllerApp startController(
      PrometheusServer prometheus, Path policies, Pki pki, SoakSettings settings) {
    return ControllerFromFlags.start(
        "--mode=standalone",
        "--prometheus-url=" + prometheus.url(),
        "--policies-file=" + policies,
        "--loop-period=" + settings.loopPeriod().toSeconds() + "s",
        "--evaluation-timeout=" + Math.min(4, settings.loopPeriod().toSeconds()) + "s",
        "--http-host=127.0.0.1",
        "--http-port=0",
        "--scaler-host=127.0.0.1",
        "--scaler-port=0",
        "--scaler-security=mtls",
        "--scaler-cert-chain=" + pki.servingCert,
        "--scaler-private-key=" + pki.servingKey,
        "--scaler-client-ca=" + pki.kedaCa,
        "--metrics-api-host=127.0.0.1",
        "--metrics-api-port=0",
        "--metrics-api-tls-cert-file=" + pki.servingCert,
        "--metrics-api-tls-key-file=" + pki.servingKey,
        "--metrics-api-requestheader-ca-file=" + pki.frontProxyCa,
        "--metrics-api-delegated-authorization=false");
  }

  /** Load only starts once every policy is served: before that the servers answer "no decision". */
  private static void awaitFirstDecisions(ControllerApp app, VllmFleet fleet) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    List<WorkloadRef> refs =
        fleet.names().stream().map(n -> WorkloadRef.deployment(NAMESPACE, n)).toList();
    while (System.nanoTime() < deadline) {
      if (refs.stream().allMatch(r -> app.store().latest(r).isPresent())) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("not every policy had a decision within 120 s");
  }

  private static Summary drive(
      ControllerApp app,
      PrometheusServer prometheus,
      VllmFleet fleet,
      Pki pki,
      SoakSettings settings,
      PrintStream out)
      throws Exception {
    KedaRequests keda = KedaRequests.forPolicies(NAMESPACE, fleet.names());
    ManagedChannel pairChannel = pki.kedaChannel(app.scalerPort());
    ManagedChannel streamChannel = pki.kedaChannel(app.scalerPort());
    int apiPort = app.metricsApiAddress().orElseThrow().getPort();
    OpenLoopHttp metricsApi =
        new OpenLoopHttp(
            settings.metricsApiPerSecond(),
            settings.connections(),
            pki.metricsApiConnector(apiPort),
            metricsApiRequest(apiPort, fleet),
            CALL_DEADLINE);
    // Two seconds of pairs in flight at most: beyond that the server is already far past any
    // latency target, and shedding keeps the client's heap out of the measurement.
    OpenLoopPairs pairs =
        new OpenLoopPairs(
            ExternalScalerGrpc.newFutureStub(pairChannel),
            keda,
            CALL_DEADLINE,
            Math.max(100, 2L * settings.pairsPerSecond()));
    try {
      long primeStart = System.nanoTime();
      primePairs(pairChannel, keda, settings.prime());
      metricsApi.prime(settings.prime());
      out.printf(
          Locale.ROOT,
          "primed both servers with %d closed-loop requests each in %.1f s%n",
          settings.prime(),
          (System.nanoTime() - primeStart) / 1e9);
      LoopProbe loop = new LoopProbe(app.httpPort());
      Report report = new Report(out, prometheus.pid());
      long start = System.nanoTime();
      long end = start + settings.duration().toNanos();
      try (StreamIsActiveStreams streams =
          StreamIsActiveStreams.open(
              ExternalScalerGrpc.newStub(streamChannel), keda.refs(), settings.streams())) {
        Thread pairDriver =
            thread("soak-pairs", () -> pairs.run(settings.pairsPerSecond(), settings.duration()));
        Thread apiDriver = thread("soak-metrics-api", () -> metricsApi.run(start, start, end));
        report.header(settings);
        long next = start + settings.reportEvery().toNanos();
        while (next < end) {
          sleepUntil(next);
          report.interval(next - start, pairs, metricsApi, streams, loop, SILENCE_LIMIT);
          next += settings.reportEvery().toNanos();
        }
        pairDriver.join();
        apiDriver.join();
        long unfinished = pairs.awaitOutstanding(Duration.ofSeconds(30));
        report.unfinishedPairs(unfinished);
        report.interval(System.nanoTime() - start, pairs, metricsApi, streams, loop, SILENCE_LIMIT);
      }
      return report.summary(System.nanoTime() - start);
    } finally {
      pairs.stop();
      metricsApi.stop();
      pairChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      streamChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Closed-loop pairs first: JIT and class loading must not start the schedule with a backlog. */
  private static void primePairs(ManagedChannel channel, KedaRequests keda, int count) {
    ExternalScalerGrpc.ExternalScalerBlockingStub stub =
        ExternalScalerGrpc.newBlockingStub(channel);
    for (int i = 0; i < count; i++) {
      int w = i % keda.size();
      stub.withDeadlineAfter(CALL_DEADLINE.toNanos(), TimeUnit.NANOSECONDS)
          .getMetrics(keda.getMetrics()[w]);
      stub.withDeadlineAfter(CALL_DEADLINE.toNanos(), TimeUnit.NANOSECONDS)
          .isActive(keda.refs()[w]);
    }
  }

  private static IntFunction<String> metricsApiRequest(int port, VllmFleet fleet) {
    List<String> paths = new ArrayList<>();
    for (String name : fleet.names()) {
      paths.add(
          "/apis/external.metrics.k8s.io/v1beta1/namespaces/"
              + NAMESPACE
              + "/foresight_desired_replicas?labelSelector="
              + URLEncoder.encode("policy=" + name, StandardCharsets.UTF_8));
    }
    return n ->
        "GET "
            + paths.get(n % paths.size())
            + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nAccept: application/json\r\nX-Remote-User: "
            + HPA_USER
            + "\r\nX-Remote-Group: system:serviceaccounts\r\n"
            + "X-Remote-Group: system:authenticated\r\n\r\n";
  }

  /** A driver thread; its body's interruption ends it quietly. */
  private static Thread thread(String name, InterruptibleRun body) {
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            name);
    t.setDaemon(true); // a failed run must not wait for the schedule to end
    t.start();
    return t;
  }

  @FunctionalInterface
  private interface InterruptibleRun {
    void run() throws InterruptedException;
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long wait = nanoTime - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  /**
   * The certificates: one serving certificate (IP 127.0.0.1) for both servers, KEDA's client
   * certificate from its own CA, and the aggregator's front-proxy client certificate.
   */
  private record Pki(
      Path servingCa,
      Path servingCert,
      Path servingKey,
      Path kedaCa,
      Path kedaCert,
      Path kedaKey,
      Path frontProxyCa,
      SSLContext aggregator) {

    static Pki write(Path dir) throws Exception {
      TestPki serving = TestPki.newCa("foresight serving CA");
      Path[] server = serving.server().writePem(dir, "serving");
      TestPki keda = TestPki.newCa("keda CA");
      Path[] kedaClient = keda.client("keda-operator").writePem(dir, "keda");
      TestPki frontProxy = TestPki.newCa("front-proxy CA");
      return new Pki(
          serving.writeCa(dir.resolve("serving-ca.crt")),
          server[0],
          server[1],
          keda.writeCa(dir.resolve("keda-ca.crt")),
          kedaClient[0],
          kedaClient[1],
          frontProxy.writeCa(dir.resolve("front-proxy-ca.crt")),
          TestPki.clientContext(serving.caCertificate(), frontProxy.client("front-proxy-client")));
    }

    /** One HTTP/2 connection to the scaler with KEDA's client certificate. */
    ManagedChannel kedaChannel(int port) throws IOException {
      ChannelCredentials credentials =
          TlsChannelCredentials.newBuilder()
              .trustManager(servingCa.toFile())
              .keyManager(kedaCert.toFile(), kedaKey.toFile())
              .build();
      return Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials)
          .directExecutor()
          .build();
    }

    /** Opens one keep-alive connection to the metrics API as the aggregator does. */
    Supplier<Socket> metricsApiConnector(int port) {
      return () -> {
        try {
          SSLSocket s = (SSLSocket) aggregator.getSocketFactory().createSocket("127.0.0.1", port);
          s.setTcpNoDelay(true);
          s.setSoTimeout((int) CALL_DEADLINE.toMillis());
          s.startHandshake();
          return s;
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      };
    }
  }

  /** Prints the interval lines and keeps the run's totals. */
  private static final class Report {
    private final PrintStream out;
    private final long prometheusPid;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Histogram pairTotal = new Histogram(3);
    private final Histogram apiTotal = new Histogram(3);
    private long lastNanos;
    private long lastCpuNanos;
    private long lastPrometheusTicks;
    private long pairs;
    private long pairErrors;
    private long apiRequests;
    private long apiErrors;
    private long streamMessages;
    private long streamErrors;
    private long loopTicks;
    private long loopErrors;
    private final List<Double> heapMiB = new ArrayList<>();
    private final List<Integer> threadCounts = new ArrayList<>();

    Report(PrintStream out, long prometheusPid) {
      this.out = out;
      this.prometheusPid = prometheusPid;
      pairTotal.setAutoResize(true);
      apiTotal.setAutoResize(true);
      lastCpuNanos = os.getProcessCpuTime();
      lastPrometheusTicks = prometheusCpuTicks();
      heapMiB.add(heapAfterGcMiB());
      threadCounts.add(ManagementFactory.getThreadMXBean().getThreadCount());
    }

    void header(SoakSettings settings) {
      out.printf(
          Locale.ROOT,
          "load started: %d StreamIsActive streams, %d pairs/s, %d metrics-API req/s over %d"
              + " connections, %d policies every %d s; heap after GC %.1f MiB, %d threads%n"
              + "latency in ms from each request's scheduled time; cpu in cores (of %d)%n",
          settings.streams(),
          settings.pairsPerSecond(),
          settings.metricsApiPerSecond(),
          settings.connections(),
          settings.policies(),
          settings.loopPeriod().toSeconds(),
          heapMiB.get(0),
          threadCounts.get(0),
          Runtime.getRuntime().availableProcessors());
    }

    void interval(
        long elapsedNanos,
        OpenLoopPairs pairLoad,
        OpenLoopHttp apiLoad,
        StreamIsActiveStreams streams,
        LoopProbe loop,
        Duration silenceLimit)
        throws Exception {
      double seconds = (elapsedNanos - lastNanos) / 1e9;
      lastNanos = elapsedNanos;
      String at = String.format(Locale.ROOT, "t=%4ds", Math.round(elapsedNanos / 1e9));

      OpenLoopPairs.Interval p = pairLoad.interval();
      pairs += p.completed();
      pairErrors += p.errors() + p.shed();
      pairTotal.add(p.pair());
      out.println(
          latencyLine(
                  at, "keda-pairs", p.completed() / seconds, p.errors(), p.shed(), p.pair(), 1e6)
              + String.format(
                  Locale.ROOT,
                  "  (GetMetrics p99 %.2f, IsActive p99 %.2f)",
                  p.getMetrics().getValueAtPercentile(99) / 1e6,
                  p.isActive().getValueAtPercentile(99) / 1e6));

      OpenLoopHttp.Interval a = apiLoad.interval();
      apiRequests += a.completed();
      apiErrors += a.errors() + a.shed();
      apiTotal.add(a.micros());
      out.println(
          latencyLine(
              at, "metrics-api", a.completed() / seconds, a.errors(), a.shed(), a.micros(), 1e3));

      long messages = streams.takeMessages();
      long ended = streams.takeErrors();
      int silent = streams.silentLongerThan(silenceLimit);
      streamMessages += messages;
      streamErrors += ended + silent;
      out.printf(
          Locale.ROOT,
          "%s %-12s %8.1f msg/s  errors %d (ended %d, silent > %d s %d)%n",
          at,
          "streams",
          messages / seconds,
          ended + silent,
          ended,
          silenceLimit.toSeconds(),
          silent);

      try {
        LoopProbe.Sample l = loop.sample();
        loopTicks += l.ticks();
        loopErrors += l.evaluationErrors();
        out.printf(
            Locale.ROOT,
            "%s %-12s %8d ticks   errors %d%s  tick mean %.0f ms, slowest <= %.0f ms;"
                + " loop threads CPU %.0f ms/tick%n",
            at,
            "loop",
            l.ticks(),
            l.evaluationErrors(),
            l.errorsByType().isEmpty() ? "" : " " + l.errorsByType(),
            l.meanTickMillis(),
            l.slowestTickAtMostMillis(),
            l.ticks() == 0 ? Double.NaN : l.cpuMillis() / l.ticks());
      } catch (IOException e) {
        // /metrics unanswered within its timeout: the controller's audit endpoint failed.
        loopErrors++;
        out.printf(Locale.ROOT, "%s %-12s errors 1  /metrics failed: %s%n", at, "loop", e);
      }

      long cpu = os.getProcessCpuTime();
      long promTicks = prometheusCpuTicks();
      double heap = heapAfterGcMiB();
      int threadCount = ManagementFactory.getThreadMXBean().getThreadCount();
      heapMiB.add(heap);
      threadCounts.add(threadCount);
      out.printf(
          Locale.ROOT,
          "%s %-12s heap after GC %.1f MiB, %d live threads, cpu %.2f (this JVM) + %.2f"
              + " (Prometheus)%n",
          at,
          "jvm",
          heap,
          threadCount,
          (cpu - lastCpuNanos) / 1e9 / seconds,
          (promTicks - lastPrometheusTicks) / 100.0 / seconds);
      lastCpuNanos = cpu;
      lastPrometheusTicks = promTicks;
    }

    void unfinishedPairs(long unfinished) {
      pairErrors += unfinished;
      if (unfinished > 0) {
        out.printf(Locale.ROOT, "%d pairs unanswered 30 s after the end: errors%n", unfinished);
      }
    }

    Summary summary(long elapsedNanos) {
      double seconds = elapsedNanos / 1e9;
      Summary s =
          new Summary(
              pairs,
              pairErrors,
              apiRequests,
              apiErrors,
              streamMessages,
              streamErrors,
              loopTicks,
              loopErrors);
      out.println("summary over " + Math.round(seconds) + " s:");
      out.println(
          latencyLine("  all", "keda-pairs", pairs / seconds, pairErrors, 0, pairTotal, 1e6));
      out.println(
          latencyLine("  all", "metrics-api", apiRequests / seconds, apiErrors, 0, apiTotal, 1e3));
      out.printf(
          Locale.ROOT,
          "  all %-12s %d messages, errors %d%n  all %-12s %d ticks, errors %d%n",
          "streams",
          streamMessages,
          streamErrors,
          "loop",
          loopTicks,
          loopErrors);
      out.printf(
          Locale.ROOT,
          "  heap after GC (MiB) start %.1f, min %.1f, max %.1f, end %.1f; live threads start %d,"
              + " max %d, end %d%n",
          heapMiB.get(0),
          heapMiB.stream().mapToDouble(d -> d).min().orElse(Double.NaN),
          heapMiB.stream().mapToDouble(d -> d).max().orElse(Double.NaN),
          heapMiB.get(heapMiB.size() - 1),
          threadCounts.get(0),
          threadCounts.stream().mapToInt(i -> i).max().orElse(0),
          threadCounts.get(threadCounts.size() - 1));
      out.println(
          s.errors() == 0
              ? "result: PASS, zero errors"
              : "result: FAIL, " + s.errors() + " errors");
      return s;
    }

    /** Errors include the shed requests; {@code shed} is shown on its own when there were any. */
    private static String latencyLine(
        String at,
        String name,
        double perSecond,
        long errors,
        long shed,
        Histogram h,
        double unitsPerMs) {
      return String.format(
          Locale.ROOT,
          "%s %-12s %8.1f /s   errors %d%s  p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f",
          at,
          name,
          perSecond,
          errors + shed,
          shed == 0 ? "" : " (" + shed + " shed)",
          h.getValueAtPercentile(50) / unitsPerMs,
          h.getValueAtPercentile(99) / unitsPerMs,
          h.getValueAtPercentile(99.9) / unitsPerMs,
          h.getMaxValue() / unitsPerMs);
    }

    private double heapAfterGcMiB() {
      System.gc();
      return memory.getHeapMemoryUsage().getUsed() / 1048576.0;
    }

    /** utime + stime of the Prometheus process in clock ticks (100 a second on Linux). */
    private long prometheusCpuTicks() {
      try {
        String stat = Files.readString(Path.of("/proc", String.valueOf(prometheusPid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      } catch (IOException | RuntimeException e) {
        return 0; // not Linux, or Prometheus gone: its CPU is then not reported
      }
    }
  }
}
