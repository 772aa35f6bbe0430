package dev.foresight.controller.prometheus;

import static dev.foresight.controller.testing.PrometheusServer.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.controller.audit.AuditMetrics;
import dev.foresight.controller.audit.DecisionAudit;
import dev.foresight.controller.audit.DecisionHistory;
import dev.foresight.controller.audit.DecisionJson;
import dev.foresight.controller.loop.DecisionLoop;
import dev.foresight.controller.loop.EngineDecisionMaker;
import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.controller.metrics.MetricsReading;
import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.controller.metrics.SignalRead;
import dev.foresight.controller.metrics.SignalRead.Outcome;
import dev.foresight.controller.metrics.TickReads;
import dev.foresight.controller.metrics.WorkloadQueries;
import dev.foresight.controller.testing.CountingPromQl;
import dev.foresight.controller.testing.PrometheusServer;
import dev.foresight.controller.testing.TestExporter;
import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.Reason;
import dev.foresight.policy.Signal;
import dev.foresight.policy.StoredDecision;
import dev.foresight.policy.WorkloadRef;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Batched reads ({@link SignalBatches}) against a real Prometheus give every workload exactly the
 * {@link SignalRead}s its own queries give: values, quantiles, rates, overlapping pod selectors,
 * and the empty, NaN, infinite, stale and broken cases, one workload at a time.
 */
class BatchedSignalsIT {

  private static final Duration WINDOW = Duration.ofSeconds(5);
  private static final Duration MAX_AGE = Duration.ofSeconds(60);
  private static final String NS = "{namespace=\"batch\",pod=\"";

  private static TestExporter exporter;
  private static PrometheusServer prometheus;
  private static PrometheusClient client;
  private static ExecutorService executor;

  /** Every workload of the test by name, with its queries. */
  private static final Map<String, WorkloadQueries> WORKLOADS = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    exporter = new TestExporter();
    // "a": two pods with every vLLM signal.
    for (String pod : List.of("a-0", "a-1")) {
      String l = NS + pod + "\"";
      exporter
          .set("vllm:num_requests_waiting" + l + "}", pod.equals("a-0") ? 3 : 4)
          .set("vllm:num_requests_running" + l + "}", 5)
          .set("vllm:kv_cache_usage_perc" + l + "}", pod.equals("a-0") ? 0.5 : 0.7)
          .counter("vllm:request_success_total" + l + "}", 2)
          .counter("vllm:prompt_tokens_total" + l + "}", 100)
          .counter("vllm:generation_tokens_total" + l + "}", 50);
      for (String le : List.of("0.1", "0.5", "+Inf")) {
        exporter.counter(
            "vllm:time_to_first_token_seconds_bucket" + l + ",le=\"" + le + "\"}",
            le.equals("0.1") ? 0 : 4);
      }
    }
    // "a-0": its pod also matches "a"'s selector a-.*, and counts for both, as unbatched.
    exporter.set("vllm:num_requests_waiting" + NS + "a-0-x\"}", 5);
    // KV cache only under the deprecated name: the preset's fallback inside the batch.
    exporter.set("vllm:gpu_cache_usage_perc" + NS + "old-0\"}", 0.25);
    // Series a selector picks by another label, and a namespace of their own.
    exporter.set("vllm:num_requests_waiting" + NS + "m-0\",model_name=\"llama\"}", 2);
    exporter.set("vllm:num_requests_waiting" + NS + "m-1\",model_name=\"mistral\"}", 3);
    exporter.set("vllm:num_requests_waiting{namespace=\"other\",pod=\"a-0\"}", 100);
    exporter.set("vllm:num_requests_waiting" + NS + "nan-0\"}", Double.NaN);
    exporter.set("vllm:num_requests_waiting" + NS + "inf-0\"}", Double.POSITIVE_INFINITY);
    exporter.setAt(
        "vllm:num_requests_waiting" + NS + "stale-0\"}",
        6,
        Instant.now().minusSeconds(120).toEpochMilli());
    prometheus = PrometheusServer.start(List.of(exporter.target()));
    client = new PrometheusClient(PrometheusClient.Settings.of(prometheus.url()));
    executor = Executors.newFixedThreadPool(8);

    for (String target : List.of("a", "a-0", "old", "nan", "inf", "stale", "missing")) {
      WORKLOADS.put(target, vllm(QueryContext.podsOf("batch", target)));
    }
    WORKLOADS.put("by-model", vllm("namespace=\"batch\",model_name=\"llama\""));
    WORKLOADS.put("two-namespaces", vllm("namespace=~\"batch|other\",pod=\"a-0\""));
    WORKLOADS.put("not-a-0", vllm("namespace=\"batch\",pod=~\"a-.*\",pod!=\"a-0\""));
    // A character class: read by Prometheus in a union batch, not grouped.
    WORKLOADS.put("class-regex", vllm("namespace=\"batch\",pod=~\"a-[01]\""));
    // A selector whose regex Prometheus rejects: its batches fail with BAD_QUERY.
    WORKLOADS.put("broken-selector", vllm("namespace=\"batch\",pod=~\"(\""));
    // Custom PromQL is never batched: a scalar, and a query that does not parse.
    WORKLOADS.put(
        "custom",
        WorkloadQueries.of(
            Map.of(
                Signal.QUEUE,
                SignalQuery.of(
                    "scalar(sum(vllm:num_requests_waiting{namespace=\"batch\",pod=~\"a-.*\"}))"),
                Signal.RUNNING,
                SignalQuery.of("sum(("))));

    eventually(
        Duration.ofSeconds(30),
        "every series scraped twice, so that rate() and quantiles have points",
        () -> {
          QueryResult r =
              client.instant(
                  "count(count_over_time(vllm:request_success_total{namespace=\"batch\"}[10s]) >="
                      + " 3)",
                  Instant.now());
          assertThat(r)
              .isInstanceOfSatisfying(
                  QueryResult.Vector.class,
                  v ->
                      assertThat(v.samples())
                          .singleElement()
                          .extracting(QueryResult.Sample::value)
                          .isEqualTo(2.0));
        });
  }

  @AfterAll
  static void stop() throws Exception {
    if (executor != null) {
      executor.shutdownNow();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    if (exporter != null) {
      exporter.close();
    }
  }

  private static WorkloadQueries vllm(String selector) {
    QueryContext c = new QueryContext(selector, WINDOW);
    Preset p = Presets.byName("vllm").orElseThrow();
    Map<Signal, SignalQuery> q = new EnumMap<>(Signal.class);
    for (Signal s : p.signals().keySet()) {
      q.put(s, p.query(s, c).orElseThrow());
    }
    return WorkloadQueries.of(q);
  }

  private static WorkloadRef ref(String name) {
    return WorkloadRef.deployment("batch", name);
  }

  private static Map<String, MetricsReading> unbatched(PromQl promql, Instant at) {
    PrometheusMetricsSource source = new PrometheusMetricsSource(promql);
    Map<String, MetricsReading> out = new LinkedHashMap<>();
    WORKLOADS.forEach((name, q) -> out.put(name, source.read(ref(name), q, at, MAX_AGE)));
    return out;
  }

  private static Map<String, MetricsReading> batched(PromQl promql, Instant at, int maxBatch)
      throws Exception {
    PrometheusMetricsSource source = new PrometheusMetricsSource(promql, maxBatch);
    Map<String, MetricsReading> out = new LinkedHashMap<>();
    try (TickReads tick = source.startTick(WORKLOADS.values(), at)) {
      for (Map.Entry<String, WorkloadQueries> e : WORKLOADS.entrySet()) {
        tick.ready(e.getValue()).get(10, TimeUnit.SECONDS);
        out.put(e.getKey(), tick.read(ref(e.getKey()), e.getValue(), MAX_AGE));
      }
    }
    return out;
  }

  private static SignalRead read(Map<String, MetricsReading> r, String workload, Signal s) {
    return r.get(workload).read(s).orElseThrow();
  }

  @Test
  void batchedReadsEqualEachWorkloadsOwnReads() throws Exception {
    // A past instant whose samples are all ingested, so both reads see the same data; on a loaded
    // machine a missed scrape can make an instant empty, so pick one where every case holds.
    Instant[] at = new Instant[1];
    CountingPromQl alone = new CountingPromQl(client);
    Map<String, MetricsReading> expected = new LinkedHashMap<>();
    eventually(
        Duration.ofSeconds(30),
        "an instant where every case reads as intended",
        () -> {
          at[0] = Instant.now().minusSeconds(3);
          alone.reset();
          expected.clear();
          expected.putAll(unbatched(alone, at[0]));
          assertCases(expected);
        });
    // Each workload but the custom one reads the preset's 8 signals, one request each.
    assertThat(alone.requests()).isEqualTo((WORKLOADS.size() - 1) * 8 + 2);

    for (int maxBatch : new int[] {1, 3, SignalBatches.MAX_MEMBERS}) {
      CountingPromQl batchedCalls = new CountingPromQl(client);
      Map<String, MetricsReading> actual = batched(batchedCalls, at[0], maxBatch);
      for (String name : WORKLOADS.keySet()) {
        assertThat(actual.get(name).reads())
            .as("workload %s, at most %d per batch", name, maxBatch)
            .isEqualTo(expected.get(name).reads());
      }
      if (maxBatch == SignalBatches.MAX_MEMBERS) {
        // The 6 sums, means and rates: one grouped request each for every readable selector,
        // and a union batch of the other two, which the broken selector fails with BAD_QUERY, so
        // both re-run alone. The 2 quantiles: one union batch each of all members, failed the
        // same way, so each member re-runs alone. And the custom workload's 2 queries.
        int members = WORKLOADS.size() - 1;
        int ungrouped = 2;
        assertThat(batchedCalls.requests())
            .isEqualTo(6 + 6 * (1 + ungrouped) + 2 * (1 + members) + 2);
      }
    }
  }

  /** The cases are what they claim to be (so that equality is not between two empty readings). */
  private static void assertCases(Map<String, MetricsReading> r) {
    assertThat(read(r, "a", Signal.QUEUE).value()).isEqualTo(3 + 4 + 5);
    // pod a-0-x only: "a-0" itself is not "a-0-.*"
    assertThat(read(r, "a-0", Signal.QUEUE).value()).isEqualTo(5);
    assertThat(read(r, "a", Signal.KV_CACHE).value()).isCloseTo(0.6, within());
    assertThat(read(r, "old", Signal.KV_CACHE).value()).isEqualTo(0.25);
    assertThat(read(r, "a", Signal.TTFT_P95).outcome()).isEqualTo(Outcome.OK);
    assertThat(read(r, "a", Signal.REQUEST_RATE).value()).isGreaterThan(0);
    assertThat(read(r, "a-0", Signal.RUNNING).outcome()).isEqualTo(Outcome.EMPTY);
    assertThat(read(r, "by-model", Signal.QUEUE).value()).isEqualTo(2);
    assertThat(read(r, "two-namespaces", Signal.QUEUE).value()).isEqualTo(3 + 100);
    assertThat(read(r, "not-a-0", Signal.QUEUE).value()).isEqualTo(4 + 5);
    assertThat(read(r, "class-regex", Signal.QUEUE).value()).isEqualTo(3 + 4);
    assertThat(read(r, "nan", Signal.QUEUE).outcome()).isEqualTo(Outcome.NAN);
    assertThat(read(r, "inf", Signal.QUEUE).outcome()).isEqualTo(Outcome.INFINITE);
    assertThat(read(r, "stale", Signal.QUEUE).outcome()).isEqualTo(Outcome.STALE);
    assertThat(read(r, "missing", Signal.QUEUE).outcome()).isEqualTo(Outcome.EMPTY);
    assertThat(read(r, "broken-selector", Signal.QUEUE).error())
        .contains(PrometheusException.Kind.BAD_QUERY);
    assertThat(read(r, "custom", Signal.QUEUE).value()).isEqualTo(3 + 4 + 5);
    assertThat(read(r, "custom", Signal.RUNNING).error())
        .contains(PrometheusException.Kind.BAD_QUERY);
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }

  /** Label values the generated selectors draw on: every series of the test has some of them. */
  private static final Map<String, List<String>> VALUES =
      Map.of(
          "namespace", List.of("batch", "other", ""),
          "pod", List.of("a-0", "a-1", "a-0-x", "old-0", "nan-0", "inf-0", "stale-0", "m-0", "m-1"),
          "model_name", List.of("llama", "mistral", ""));

  /**
   * A selector of 1 to 3 matchers of any kind; regexes are alternations of values, their prefixes,
   * and prefixes followed by {@code .*} or {@code .+}, the forms grouped reads handle.
   */
  static String generatedSelector(SplittableRandom r) {
    List<String> labels = List.of("namespace", "pod", "model_name");
    List<String> matchers = new ArrayList<>();
    for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
      String label = labels.get(r.nextInt(labels.size()));
      String op = List.of("=", "!=", "=~", "!~").get(r.nextInt(4));
      List<String> values = VALUES.get(label);
      String value;
      if (op.endsWith("~")) {
        List<String> alternatives = new ArrayList<>();
        for (int a = 0, m = 1 + r.nextInt(3); a < m; a++) {
          String v = values.get(r.nextInt(values.size()));
          String prefix = v.substring(0, r.nextInt(v.length() + 1));
          alternatives.add(
              switch (r.nextInt(4)) {
                case 0 -> v;
                case 1 -> prefix + ".*";
                case 2 -> prefix + ".+";
                default -> prefix;
              });
        }
        value = String.join("|", alternatives);
      } else {
        value = values.get(r.nextInt(values.size()));
      }
      matchers.add(label + op + "\"" + value + "\"");
    }
    return String.join(",", matchers);
  }

  @Test
  void generatedSelectorsReadInGroupsAsTheirOwnQueriesRead() throws Exception {
    SplittableRandom random = new SplittableRandom(20261124L);
    Map<String, WorkloadQueries> generated = new LinkedHashMap<>();
    while (generated.size() < 300) {
      String selector = generatedSelector(random);
      generated.put(selector, vllm(selector));
    }
    Instant at = Instant.now().minusSeconds(5);
    PrometheusMetricsSource alone = new PrometheusMetricsSource(client);
    CountingPromQl calls = new CountingPromQl(client);
    PrometheusMetricsSource batchedSource = new PrometheusMetricsSource(calls);
    int grouped = 0;
    try (TickReads tick = batchedSource.startTick(generated.values(), at)) {
      for (Map.Entry<String, WorkloadQueries> e : generated.entrySet()) {
        WorkloadRef workload = ref("generated");
        tick.ready(e.getValue()).get(10, TimeUnit.SECONDS);
        List<SignalRead> actual = tick.read(workload, e.getValue(), MAX_AGE).reads();
        List<SignalRead> expected = alone.read(workload, e.getValue(), at, MAX_AGE).reads();
        assertSameReads(e.getKey(), actual, expected);
        if (SignalBatches.groupable(e.getValue().signals().get(Signal.QUEUE)).isPresent()) {
          grouped++;
        }
      }
    }
    // Every generated selector is one grouped reads handle; the queries other than the
    // quantiles' cost one request per metric, whichever the number of workloads.
    assertThat(grouped).isEqualTo(generated.size());
    assertThat(calls.requests()).isLessThan(6 + 2 * 2 + 10);
  }

  /** Same reads, up to the order in which floating-point sums were added. */
  private static void assertSameReads(
      String selector, List<SignalRead> actual, List<SignalRead> expected) {
    assertThat(actual).as(selector).hasSameSizeAs(expected);
    for (int i = 0; i < actual.size(); i++) {
      SignalRead a = actual.get(i);
      SignalRead e = expected.get(i);
      String what = selector + " " + e.signal();
      assertThat(a.outcome()).as(what).isEqualTo(e.outcome());
      assertThat(a.error()).as(what).isEqualTo(e.error());
      assertThat(a.age()).as(what).isEqualTo(e.age());
      if (Double.isFinite(e.value())) {
        assertThat(a.value())
            .as(what)
            .isCloseTo(
                e.value(), org.assertj.core.data.Offset.offset(1e-9 * (1 + Math.abs(e.value()))));
      } else {
        assertThat(Double.valueOf(a.value())).as(what).isEqualTo(Double.valueOf(e.value()));
      }
    }
  }

  @Test
  void aFailedBatchFailsEachOfItsWorkloadsWithItsError() throws Exception {
    PrometheusClient nowhere =
        new PrometheusClient(
            new PrometheusClient.Settings(
                URI.create("http://127.0.0.1:" + PrometheusServer.freePort()),
                Optional.empty(),
                Optional.empty(),
                Duration.ofSeconds(1),
                0,
                Duration.ofMillis(10)));
    Instant at = Instant.now();
    Map<String, MetricsReading> expected = unbatched(nowhere, at);
    Map<String, MetricsReading> actual = batched(nowhere, at, SignalBatches.MAX_MEMBERS);
    for (String name : WORKLOADS.keySet()) {
      for (SignalRead r : actual.get(name).reads()) {
        assertThat(r.outcome()).as(name + " " + r.signal()).isEqualTo(Outcome.FAILED);
        assertThat(r.error()).contains(PrometheusException.Kind.UNREACHABLE);
      }
      assertThat(actual.get(name).reads().stream().map(SignalRead::outcome).toList())
          .isEqualTo(expected.get(name).reads().stream().map(SignalRead::outcome).toList());
    }
  }

  /** Delays every batched request: a slow shared query. */
  private static final class SlowBatches implements PromQl {
    @Override
    public QueryResult instant(String query, Instant time) throws PrometheusException {
      if (query.contains(UnionBatch.MEMBER) || query.contains(" by (")) {
        try {
          Thread.sleep(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new PrometheusException(PrometheusException.Kind.INTERRUPTED, "interrupted", e);
        }
      }
      return client.instant(query, time);
    }

    @Override
    public QueryResult range(String query, Instant start, Instant end, Duration step)
        throws PrometheusException {
      return client.range(query, start, end, step);
    }
  }

  @Test
  void aSlowBatchDelaysOnlyTheWorkloadsThatDependOnIt() throws Exception {
    PolicySpec spec =
        PolicySpec.builder().target(Signal.QUEUE, 4).minReplicas(1).maxReplicas(50).build();
    List<GovernedWorkload> governed = new ArrayList<>();
    for (String name : List.of("a", "custom")) {
      governed.add(
          new GovernedWorkload(
              ref(name),
              spec,
              WORKLOADS.get(name),
              Optional.of(new GovernedWorkload.Replicas(2, 2)),
              Optional.empty()));
    }
    InMemoryDecisionStore store = new InMemoryDecisionStore();
    DecisionLoop loop =
        new DecisionLoop(
            InstantSource.system(),
            new PrometheusMetricsSource(new SlowBatches()),
            new EngineDecisionMaker(),
            store,
            new DecisionAudit(
                new AuditMetrics(new PrometheusRegistry()),
                new DecisionHistory(5),
                new DecisionJson(new ObjectMapper())),
            Duration.ofSeconds(2),
            executor);
    loop.govern(governed);
    long start = System.nanoTime();
    loop.tick();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));

    StoredDecision custom = store.latest(ref("custom")).orElseThrow();
    assertThat(custom.decision().reason()).isNotEqualTo(Reason.HOLD_NO_USABLE_SIGNAL);
    assertThat(custom.decision().desiredReplicas()).isEqualTo(3); // ceil(12 / 4)
    StoredDecision batched = store.latest(ref("a")).orElseThrow();
    assertThat(batched.decision().reason()).isEqualTo(Reason.HOLD_NO_USABLE_SIGNAL);
    assertThat(batched.decision().desiredReplicas()).isEqualTo(2);
  }
}
