package dev.foresight.controller.bench;

import dev.foresight.controller.ControllerApp;
import dev.foresight.controller.ControllerFromFlags;
import dev.foresight.controller.prometheus.PrometheusClient;
import dev.foresight.controller.testing.PrometheusServer;
import dev.foresight.controller.testing.TestExporter;
import dev.foresight.metricsapi.bench.OpenLoopHttp;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.scaler.bench.KedaRequests;
import dev.foresight.scaler.bench.OpenLoopPairs;
import dev.foresight.scaler.bench.StreamIsActiveStreams;
import dev.foresight.scaler.proto.ExternalScalerGrpc;
import io.grpc.ManagedChannel;
import java.io.PrintStream;
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
import java.util.stream.Stream;

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
    SoakPki pki = SoakPki.write(dir);
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
      PrometheusServer prometheus, Path policies, SoakPki pki, SoakSettings settings) {
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
        "--scaler-cert-chain=" + pki.servingCert(),
        "--scaler-private-key=" + pki.servingKey(),
        "--scaler-client-ca=" + pki.kedaCa(),
        "--metrics-api-host=127.0.0.1",
        "--metrics-api-port=0",
        "--metrics-api-tls-cert-file=" + pki.servingCert(),
        "--metrics-api-tls-key-file=" + pki.servingKey(),
        "--metrics-api-requestheader-ca-file=" + pki.frontProxyCa(),
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
      SoakPki pki,
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
            pki.metricsApiConnector(apiPort, CALL_DEADLINE),
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
      SoakReport report = new SoakReport(out, prometheus.pid());
      long start = System.nanoTime();
      long measured = start + settings.warmup().toNanos();
      long end = measured + settings.duration().toNanos();
      try (StreamIsActiveStreams streams =
          StreamIsActiveStreams.open(
              ExternalScalerGrpc.newStub(streamChannel), keda.refs(), settings.streams())) {
        Thread pairDriver =
            thread(
                "soak-pairs",
                () ->
                    pairs.run(
                        settings.pairsPerSecond(), settings.warmup().plus(settings.duration())));
        Thread apiDriver = thread("soak-metrics-api", () -> metricsApi.run(start, start, end));
        report.header(settings);
        if (measured > start) {
          sleepUntil(measured);
          report.interval(measured - start, pairs, metricsApi, streams, loop, SILENCE_LIMIT);
          report.endWarmUp();
        }
        long next = measured + settings.reportEvery().toNanos();
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
      return report.summary(System.nanoTime() - measured);
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
}
