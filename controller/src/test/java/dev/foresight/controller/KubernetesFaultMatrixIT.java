package dev.foresight.controller;

import static dev.foresight.controller.testing.PrometheusServer.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonParser;
import dev.foresight.controller.cluster.FakeApiServer;
import dev.foresight.controller.cluster.Fixtures;
import dev.foresight.controller.config.ControllerConfig;
import dev.foresight.controller.testing.JvmProbe;
import dev.foresight.controller.testing.PrometheusServer;
import dev.foresight.controller.testing.ServerProbes;
import dev.foresight.controller.testing.TestExporter;
import dev.foresight.controller.testing.TestPki;
import dev.foresight.policy.Decision;
import dev.foresight.policy.Reason;
import dev.foresight.policy.StoredDecision;
import dev.foresight.policy.WorkloadRef;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Kubernetes side of the fault matrix: the whole controller in cluster mode (ScalingPolicy
 * informer, scale and pod reads, Lease, status writes), against {@link FakeApiServer} with its
 * faults switched on and off, and a real Prometheus. KEDA is asked over real gRPC, HPA over the
 * external metrics API (HTTPS, aggregator client certificate).
 *
 * <p>The ScalingPolicy "llama" targets a Deployment at 3 replicas with a queue of 12 against a
 * target of 4, so its healthy decision is a steady 3: a decision below 3 during a fault is a
 * scale-down caused by missing or stale data. Two kinds of rows:
 *
 * <ul>
 *   <li>the replica count cannot be read (errors, a hung API server): the decision holds at 3 with
 *       {@code HOLD_NO_USABLE_SIGNAL}, the audit shows the reason and counts the error, KEDA and
 *       HPA keep answering 3, and the first healthy decision after the fault ends comes within one
 *       loop period (plus a tick in flight);
 *   <li>the ScalingPolicy list/watch fails (cut streams, 410 Gone, errors): the informer cache
 *       keeps the policy governed and decided from fresh data throughout, and the informer lists
 *       and watches again once the API server lets it.
 * </ul>
 *
 * Leader loss has its own tests (Lease renewals refused, then allowed; the Lease taken by another
 * replica meanwhile), and repeated fault cycles check that threads and watch connections return to
 * their baseline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesFaultMatrixIT {

  private static final Duration LOOP = Duration.ofMillis(500);
  private static final Duration EVALUATION = Duration.ofMillis(400);
  private static final Duration WAIT = Duration.ofSeconds(60);
  // Shorter than the 15/10/2 s defaults so that the leader-loss rows wait less, in the same order
  // and with the same gaps relative to the loop period.
  private static final Duration LEASE_DURATION = Duration.ofSeconds(6);
  private static final Duration RENEW_DEADLINE = Duration.ofSeconds(4);
  private static final Duration RETRY_PERIOD = Duration.ofSeconds(1);
  private static final String POLICIES = "/apis/autoscaling.foresight.dev/v1alpha1/scalingpolicies";
  private static final String SCALE =
      "/apis/apps/v1/namespaces/inference/deployments/vllm-llama/scale";
  private static final String PODS = "/api/v1/namespaces/inference/pods";
  private static final String STATUS =
      "/apis/autoscaling.foresight.dev/v1alpha1/namespaces/inference/scalingpolicies/llama/status";
  private static final String METRICS_PATH =
      "/apis/external.metrics.k8s.io/v1beta1/namespaces/inference/foresight_desired_replicas";
  private static final WorkloadRef LLAMA =
      new WorkloadRef("inference", "llama", "Deployment", "vllm-llama");
  private static final String QUEUE_A =
      "vllm:num_requests_waiting{namespace=\"inference\",pod=\"vllm-llama-a\"}";
  private static final String QUEUE_B =
      "vllm:num_requests_waiting{namespace=\"inference\",pod=\"vllm-llama-b\"}";
  private static final Set<Reason> HEALTHY = EnumSet.of(Reason.STEADY, Reason.WITHIN_TOLERANCE);
  private static final String IDENTITY = "foresight-controller-0";

  /** What a row expects while its fault lasts. */
  enum Expect {
    /** The replica count is unreadable: held at 3, audited, one of the given errors counted. */
    HOLD,
    /** The policy informer is cut off: governed from its cache, fresh decisions throughout. */
    CACHE
  }

  private TestExporter exporter;
  private FakeApiServer api;
  private PrometheusServer prometheus;
  private ControllerApp app;
  private ManagedChannel channel;
  private SSLContext aggregator;
  private final List<StoredDecision> seen = new CopyOnWriteArrayList<>();
  private final List<String> report = new ArrayList<>();
  // One client each for the whole run: each HttpClient owns a selector thread until collected.
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpClient hpa;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    TestPki servingCa = TestPki.newCa("foresight serving CA");
    Path[] serving = servingCa.server().writePem(dir, "tls");
    TestPki frontProxyCa = TestPki.newCa("front-proxy CA");
    Path requestHeaderCa = frontProxyCa.writeCa(dir.resolve("requestheader-ca.crt"));
    aggregator =
        TestPki.clientContext(servingCa.caCertificate(), frontProxyCa.client("front-proxy-client"));
    hpa = HttpClient.newBuilder().sslContext(aggregator).build();

    exporter = new TestExporter();
    exporter.set(QUEUE_A, 7).set(QUEUE_B, 5);
    api = new FakeApiServer();
    api.onGet(SCALE, Fixtures.text("scale-deployment.json"))
        .onGet(
            PODS,
            Fixtures.list(
                "PodList", "v1", "pod-ready.json", "pod-starting.json", "pod-pending.json"))
        .onGet(
            POLICIES,
            Fixtures.list(
                "ScalingPolicyList", "autoscaling.foresight.dev/v1alpha1", "scalingpolicy.json"));
    Path kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"));
    prometheus = PrometheusServer.start(List.of(exporter.target()));
    app =
        ControllerApp.start(
            ControllerConfig.load(
                Map.ofEntries(
                    Map.entry("mode", "cluster"),
                    Map.entry("kubeconfig", kubeconfig.toString()),
                    Map.entry("pod-name", IDENTITY),
                    Map.entry("pod-namespace", "foresight-system"),
                    Map.entry("prometheus-url", prometheus.url().toString()),
                    Map.entry("loop-period", LOOP.toMillis() + "ms"),
                    Map.entry("evaluation-timeout", EVALUATION.toMillis() + "ms"),
                    Map.entry("supply-period", "1s"),
                    Map.entry("lease-duration", LEASE_DURATION.toMillis() + "ms"),
                    Map.entry("lease-renew-deadline", RENEW_DEADLINE.toMillis() + "ms"),
                    Map.entry("lease-retry-period", RETRY_PERIOD.toMillis() + "ms"),
                    Map.entry("http-host", "127.0.0.1"),
                    Map.entry("http-port", "0"),
                    Map.entry("scaler-host", "127.0.0.1"),
                    Map.entry("scaler-port", "0"),
                    Map.entry("metrics-api-host", "127.0.0.1"),
                    Map.entry("metrics-api-port", "0"),
                    Map.entry("metrics-api-tls-cert-file", serving[0].toString()),
                    Map.entry("metrics-api-tls-key-file", serving[1].toString()),
                    Map.entry("metrics-api-requestheader-ca-file", requestHeaderCa.toString()),
                    Map.entry("metrics-api-delegated-authorization", "false"))));
    app.store().subscribe(seen::add);
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", app.scalerPort()).usePlaintext().build();
    awaitHealthy("start-up", Instant.EPOCH);
    eventually(WAIT, "leading", () -> assertThat(leader()).isTrue());
    assertThat(api.leaseDurationSeconds("foresight-system", "foresight-controller"))
        .as("the Lease carries --lease-duration")
        .isEqualTo(LEASE_DURATION.toSeconds());
  }

  @AfterAll
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    if (app != null) {
      app.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    if (api != null) {
      api.close();
    }
    if (exporter != null) {
      exporter.close();
    }
    System.out.println("kubernetes fault matrix:\n  " + String.join("\n  ", report));
  }

  // ---- the rows ----

  static Stream<Arguments> rows() {
    return Stream.of(
        row(
            "scale subresource answers 500",
            Expect.HOLD,
            a -> a.fail(SCALE, 500),
            "replicas_unreadable"),
        row("pod list answers 500", Expect.HOLD, a -> a.fail(PODS, 500), "replicas_unreadable"),
        row(
            "scale read hangs past the client timeout",
            Expect.HOLD,
            a -> a.slow(SCALE, Duration.ofSeconds(3)),
            "evaluation_timeout",
            "replicas_unreadable"),
        row(
            "every API request answers 500",
            Expect.HOLD,
            a -> a.fail("/", 500),
            "replicas_unreadable"),
        row("ScalingPolicy watch cut mid-event", Expect.CACHE, FakeApiServer::cutWatches),
        row(
            "ScalingPolicy watch resume answered 410 Gone",
            Expect.CACHE,
            FakeApiServer::expireResourceVersions),
        row(
            "ScalingPolicy list and watch answer 500, watch cut",
            Expect.CACHE,
            a -> {
              a.fail(POLICIES, 500);
              a.cutWatches();
            }));
  }

  private static Arguments row(
      String name, Expect expect, Consumer<FakeApiServer> fault, String... errors) {
    return Arguments.of(Named.of(name, name), expect, fault, List.of(errors));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  @Order(1)
  void faultRow(String name, Expect expect, Consumer<FakeApiServer> fault, List<String> errors)
      throws Exception {
    Duration took = runRow(name, expect, fault, errors);
    // Decisions: one loop period plus a tick in flight. The informer: client-java restarts its
    // reflector a second after a failure and may need two attempts (410 on the list first).
    Duration bound =
        expect == Expect.HOLD ? LOOP.plus(EVALUATION) : Duration.ofSeconds(3).plus(LOOP);
    assertThat(took).as(name + " recovery").isLessThanOrEqualTo(bound);
  }

  /** Breaks, checks the row's expectation, mends, and returns how long recovery took. */
  private Duration runRow(
      String name, Expect expect, Consumer<FakeApiServer> fault, List<String> errors)
      throws Exception {
    Map<String, Double> errorsBefore = errorCounts();
    int requestsBefore = api.requests().size();
    Instant faultStart = Instant.now();
    fault.accept(api);
    if (expect == Expect.HOLD) {
      awaitHeld(name, faultStart);
      Map<String, Double> errorsNow = errorCounts();
      assertThat(errors)
          .as(name + ": counted as one of " + errors + " in " + errorsNow)
          .anySatisfy(
              e ->
                  assertThat(errorsNow.getOrDefault(e, 0.0))
                      .isGreaterThan(errorsBefore.getOrDefault(e, 0.0)));
    } else {
      awaitInformerHit(name, requestsBefore);
      awaitFreshHealthy(name, faultStart.plus(LOOP.multipliedBy(2)));
      assertThat(app.store().workloads()).as(name + ": still governed").contains(LLAMA);
    }
    Instant mended = Instant.now();
    api.heal();
    Duration took;
    if (expect == Expect.HOLD) {
      took = Duration.between(mended, awaitHealthy(name, mended));
      report.add(name + ": first healthy decision " + took.toMillis() + " ms after the fault");
    } else {
      Instant watching = awaitWatchAgain(name, requestsBefore);
      // A one-shot fault (a cut, a compaction) may be over before the mend: recovered already.
      took = watching.isBefore(mended) ? Duration.ZERO : Duration.between(mended, watching);
      awaitHealthy(name, mended);
      report.add(
          name
              + ": decisions healthy throughout; informer watching again "
              + took.toMillis()
              + " ms after the fault");
    }
    return took;
  }

  /** The informer reacted to the fault: it asked for the policies again after it began. */
  private void awaitInformerHit(String name, int requestsBefore) throws Exception {
    eventually(
        WAIT,
        name + ": the informer asks again",
        () ->
            assertThat(api.requests().subList(requestsBefore, api.requests().size()))
                .anyMatch(r -> r.path().equals(POLICIES)));
  }

  /**
   * Waits until the informer holds one watch stream again, opened after the fault began; returns
   * when it was asked for. The stream open now is the last watch request: the ones before it were
   * refused, expired or cut.
   */
  private Instant awaitWatchAgain(String name, int requestsAtFault) throws Exception {
    eventually(
        WAIT,
        name + ": watching again",
        () -> {
          assertThat(api.openWatches()).isEqualTo(1);
          assertThat(policyWatchesSince(requestsAtFault)).isNotEmpty();
        });
    List<FakeApiServer.Request> watches = policyWatchesSince(requestsAtFault);
    return watches.get(watches.size() - 1).at();
  }

  private List<FakeApiServer.Request> policyWatchesSince(int index) {
    List<FakeApiServer.Request> all = api.requests();
    return all.subList(index, all.size()).stream()
        .filter(r -> r.path().equals(POLICIES) && r.query().contains("watch=true"))
        .toList();
  }

  // ---- leader loss ----

  @Test
  @Order(4)
  void leaderLostStopsItsWritesWhileServersKeepAnsweringAndRegainsTheLease() throws Exception {
    assertThat(leader()).isTrue();
    Instant refused = Instant.now();
    api.refuseLeaseWrites(true);
    // client-java gives up after the renew deadline of failed renewals.
    eventually(WAIT, "leadership lost", () -> assertThat(leader()).isFalse());
    Instant lost = Instant.now();
    assertThat(metrics()).contains("foresight_leader 0.0");
    // A write already past its leadership check may still land; one loop period later none may.
    Thread.sleep(LOOP.toMillis());
    int statusWritesWhileFollowing = statusWrites().size();

    // The decision changes while following: 20 waiting at 4 per replica wants 5.
    exporter.set(QUEUE_A, 12).set(QUEUE_B, 8);
    followerScalesTo(5);
    Thread.sleep(LOOP.multipliedBy(4).toMillis());
    assertThat(statusWrites())
        .as("no status write without the Lease")
        .hasSize(statusWritesWhileFollowing);

    Instant allowed = Instant.now();
    api.refuseLeaseWrites(false);
    eventually(WAIT, "leadership regained", () -> assertThat(leader()).isTrue());
    Instant regained = Instant.now();
    assertThat(api.leaseHolder("foresight-system", "foresight-controller")).isEqualTo(IDENTITY);
    eventually(
        WAIT,
        "the new term starts with a status write of the current decision",
        () -> {
          List<FakeApiServer.Request> writes = statusWrites();
          assertThat(writes).hasSizeGreaterThan(statusWritesWhileFollowing);
          assertThat(desiredIn(writes.get(statusWritesWhileFollowing))).isEqualTo(5);
        });
    Instant written = statusWrites().get(statusWritesWhileFollowing).at();
    report.add(
        "leader lost: "
            + Duration.between(refused, lost).toMillis()
            + " ms after renewals were refused; regained "
            + Duration.between(allowed, regained).toMillis()
            + " ms after they were allowed; status written "
            + Duration.between(allowed, written).toMillis()
            + " ms after");
    // Regaining takes one retry period of the elector plus the new elector's first try.
    assertThat(Duration.between(allowed, regained)).isLessThanOrEqualTo(Duration.ofSeconds(10));
  }

  @Test
  @Order(5)
  void anotherReplicaHoldingTheLeaseKeepsThisOneFromWritingUntilTheLeaseExpires() throws Exception {
    assertThat(leader()).isTrue();
    api.refuseLeaseWrites(true);
    eventually(WAIT, "leadership lost", () -> assertThat(leader()).isFalse());
    // Another replica, with the same timing, takes the Lease and then dies without renewing it.
    Duration term = LEASE_DURATION;
    api.grantLease("foresight-system", "foresight-controller", "foresight-controller-1", term);
    Instant granted = Instant.now();
    api.refuseLeaseWrites(false);
    Thread.sleep(LOOP.toMillis());
    int statusWritesWhileFollowing = statusWrites().size();

    // 28 waiting at 4 per replica wants 7: decided and served here, written by no one.
    exporter.set(QUEUE_A, 16).set(QUEUE_B, 12);
    followerScalesTo(7);
    assertThat(Duration.between(granted, Instant.now()))
        .as("checked while the other replica's Lease is still valid")
        .isLessThan(term);
    assertThat(leader()).isFalse();
    assertThat(api.leaseHolder("foresight-system", "foresight-controller"))
        .isEqualTo("foresight-controller-1");
    assertThat(statusWrites()).hasSize(statusWritesWhileFollowing);

    eventually(WAIT, "took the expired Lease over", () -> assertThat(leader()).isTrue());
    Instant tookOver = Instant.now();
    assertThat(api.leaseHolder("foresight-system", "foresight-controller")).isEqualTo(IDENTITY);
    assertThat(Duration.between(granted, tookOver))
        .as("not before the other replica's Lease expired")
        .isGreaterThanOrEqualTo(term);
    eventually(
        WAIT,
        "the new term starts with a status write",
        () -> {
          assertThat(statusWrites()).hasSizeGreaterThan(statusWritesWhileFollowing);
          assertThat(desiredIn(statusWrites().get(statusWritesWhileFollowing))).isEqualTo(7);
        });
    report.add(
        "lease held by another replica for "
            + term.toSeconds()
            + " s: taken over "
            + Duration.between(granted.plus(term), tookOver).toMillis()
            + " ms after it expired");
  }

  /**
   * Waits until the follower decides {@code replicas} and serves them to KEDA and HPA, then plays
   * the autoscaler: the Deployment's scale follows, as KEDA's HPA would make it, so that the next
   * decisions are steady at the new count rather than a scale-up the target never performs.
   */
  private void followerScalesTo(int replicas) throws Exception {
    eventually(
        WAIT,
        "a follower decides and serves " + replicas,
        () -> {
          assertThat(latest().desiredReplicas()).isEqualTo(replicas);
          assertThat(keda()).isEqualTo(replicas);
          assertThat(hpa()).isEqualTo(replicas);
        });
    api.onGet(
        SCALE,
        Fixtures.text("scale-deployment.json")
            .replace("\"replicas\": 3", "\"replicas\": " + replicas));
    eventually(
        WAIT,
        "steady at " + replicas,
        () -> {
          assertThat(latest().currentReplicas()).isEqualTo(replicas);
          assertThat(latest().desiredReplicas()).isEqualTo(replicas);
          assertThat(keda()).isEqualTo(replicas);
        });
  }

  // ---- repeated cycles ----

  @Test
  @Order(2)
  void repeatedFaultCyclesLeakNoThreadsNorWatches() throws Exception {
    List<Consumer<FakeApiServer>> faults =
        List.of(
            a -> a.fail(SCALE, 500),
            FakeApiServer::cutWatches,
            a -> a.slow(SCALE, Duration.ofSeconds(3)),
            a -> {
              a.fail(POLICIES, 500);
              a.cutWatches();
            },
            FakeApiServer::expireResourceVersions);
    List<Expect> expects =
        List.of(Expect.HOLD, Expect.CACHE, Expect.HOLD, Expect.CACHE, Expect.CACHE);
    // Warm up every pool the faults touch, then take the baseline.
    for (int i = 0; i < faults.size(); i++) {
      runRow("warm-up " + i, expects.get(i), faults.get(i), anyError());
    }
    List<String> before = JvmProbe.liveThreads(name -> name.equals(FakeApiServer.THREAD_NAME));
    long heapBefore = JvmProbe.heapAfterGc();
    int cycles = 100;
    for (int i = 0; i < cycles; i++) {
      int k = i % faults.size();
      runRow("cycle " + i, expects.get(k), faults.get(k), anyError());
    }
    // OkHttp's idle connections and task threads outlive their calls by up to a minute.
    List<String> after = JvmProbe.liveThreads(name -> name.equals(FakeApiServer.THREAD_NAME));
    long heapAfter = JvmProbe.heapAfterGc();
    report.add(
        "threads: "
            + before.size()
            + " before "
            + cycles
            + " fault cycles, "
            + after.size()
            + " after; heap after GC "
            + JvmProbe.mib(heapBefore)
            + " before, "
            + JvmProbe.mib(heapAfter)
            + " after");
    assertThat(after.size())
        .as("live threads after %d cycles: before %s, after %s", cycles, before, after)
        .isLessThanOrEqualTo(before.size() + 4);
    assertThat(api.openWatches()).as("one policy watch, no leaked stream").isEqualTo(1);
    // As in FaultMatrixIT: this test keeps every decision it saw, and a heap sample after
    // System.gc() varies by a few MiB; a leak of about 330 KiB or more per fault (a client, a
    // watch's buffers, a retained response) crosses 32 MiB within the 100 cycles.
    assertThat(heapAfter - heapBefore)
        .as("heap growth after GC over %d fault cycles", cycles)
        .isLessThanOrEqualTo(32L << 20);
  }

  private static List<String> anyError() {
    return List.of("replicas_unreadable", "evaluation_timeout");
  }

  @Test
  @Order(3)
  void noFaultEverScaledDownOrToZero() {
    assertThat(seen).isNotEmpty();
    assertThat(seen.stream().filter(s -> s.workload().equals(LLAMA)).map(s -> s.decision()))
        .allSatisfy(
            d -> assertThat(d.desiredReplicas()).as(d.reason() + ": " + d.message()).isEqualTo(3));
  }

  // ---- checks ----

  private boolean leader() {
    return app.kubernetes().orElseThrow().leadership().isLeader();
  }

  private Decision latest() {
    Optional<StoredDecision> stored = app.store().latest(LLAMA);
    assertThat(stored).as("a decision for %s", LLAMA).isPresent();
    return stored.get().decision();
  }

  private long keda() {
    return ServerProbes.kedaMetric(channel, "inference", "vllm-llama", "llama");
  }

  /** HPA's read of the external metrics API: the one item's value. */
  private long hpa() throws Exception {
    return ServerProbes.hpaDesired(
        hpa, app.metricsApiAddress().orElseThrow().getPort(), "inference", "llama");
  }

  private String metrics() throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** {@code foresight_errors_total} of llama by type label. */
  private Map<String, Double> errorCounts() throws Exception {
    Map<String, Double> out = new java.util.HashMap<>();
    for (String line : metrics().split("\n")) {
      if (line.startsWith("foresight_errors_total{") && line.contains("policy=\"llama\"")) {
        int at = line.indexOf("type=\"") + 6;
        String type = line.substring(at, line.indexOf('"', at));
        out.put(type, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    return out;
  }

  private JsonNode auditedLatest() throws Exception {
    return ServerProbes.auditedLatest(http, app.httpPort(), "inference", "llama");
  }

  private List<FakeApiServer.Request> statusWrites() {
    return api.writes().stream()
        .filter(r -> r.method().equals("PATCH") && r.path().equals(STATUS))
        .toList();
  }

  private static int desiredIn(FakeApiServer.Request patch) {
    return JsonParser.parseString(patch.body())
        .getAsJsonObject()
        .getAsJsonObject("status")
        .get("desiredReplicas")
        .getAsInt();
  }

  private static boolean healthy(Decision d) {
    return HEALTHY.contains(d.reason()) && d.desiredReplicas() == 3 && d.currentReplicas() == 3;
  }

  /** Waits for a healthy decision made at or after {@code since}; returns when it was made. */
  private Instant awaitHealthy(String row, Instant since) throws Exception {
    awaitFreshHealthy(row, since);
    return seen.stream()
        .filter(s -> s.workload().equals(LLAMA) && !s.decision().at().isBefore(since))
        .filter(s -> healthy(s.decision()))
        .map(s -> s.decision().at())
        .findFirst()
        .orElseThrow();
  }

  private void awaitFreshHealthy(String row, Instant since) throws Exception {
    eventually(
        WAIT,
        row + ": healthy",
        () -> {
          Decision d = latest();
          assertThat(d.at()).isAfterOrEqualTo(since);
          assertThat(healthy(d))
              .as("%s %s: %s", d.reason(), d.desiredReplicas(), d.message())
              .isTrue();
          assertThat(keda()).isEqualTo(3);
          assertThat(hpa()).isEqualTo(3);
        });
  }

  /** The fault's consequences while it lasts: held at 3, audited, KEDA and HPA answering 3. */
  private void awaitHeld(String row, Instant since) throws Exception {
    eventually(
        WAIT,
        row + ": decision held",
        () -> {
          Decision d = latest();
          assertThat(d.at()).isAfterOrEqualTo(since);
          assertThat(d.reason()).isEqualTo(Reason.HOLD_NO_USABLE_SIGNAL);
        });
    Decision held = latest();
    assertThat(held.desiredReplicas()).as(row).isEqualTo(3);
    assertThat(held.currentReplicas()).as(row + ": the last known count").isEqualTo(3);
    JsonNode audited = auditedLatest();
    assertThat(audited.path("reason").asText()).as(row).isEqualTo("HOLD_NO_USABLE_SIGNAL");
    assertThat(audited.path("desiredReplicas").asInt()).as(row).isEqualTo(3);
    assertThat(keda()).as(row + ": KEDA keeps answering").isEqualTo(3);
    assertThat(hpa()).as(row + ": HPA keeps answering").isEqualTo(3);
  }
}
