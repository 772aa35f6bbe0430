package dev.foresight.controller.prometheus;

import static dev.foresight.controller.testing.PrometheusServer.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.foresight.controller.metrics.GpuQueries;
import dev.foresight.controller.metrics.MetricsReading;
import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.controller.metrics.SignalRead;
import dev.foresight.controller.metrics.SignalRead.Outcome;
import dev.foresight.controller.metrics.WorkloadQueries;
import dev.foresight.controller.testing.PrometheusServer;
import dev.foresight.controller.testing.TestExporter;
import dev.foresight.policy.GpuReading;
import dev.foresight.policy.Signal;
import dev.foresight.policy.WorkloadRef;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every preset against a real Prometheus scraping a test exporter that serves vLLM-, TGI-, SGLang-,
 * TensorRT-LLM- and DCGM-format series with values this test controls.
 */
class PrometheusPresetsIT {

  private static final Duration WINDOW = Duration.ofSeconds(5);
  private static final Duration MAX_AGE = Duration.ofSeconds(60);
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static TestExporter exporter;
  private static PrometheusServer prometheus;
  private static PrometheusClient client;
  private static PrometheusMetricsSource source;

  @BeforeAll
  static void start() throws Exception {
    exporter = new TestExporter();
    String a = "{namespace=\"llm\",pod=\"vllm-llama-a\"";
    String b = "{namespace=\"llm\",pod=\"vllm-llama-b\"";
    // vLLM: two pods; KV cache only under the deprecated name, as older vLLM exports it.
    exporter
        .set("vllm:num_requests_waiting" + a + "}", 3)
        .set("vllm:num_requests_waiting" + b + "}", 4)
        .set("vllm:num_requests_running" + a + "}", 6)
        .set("vllm:num_requests_running" + b + "}", 4)
        .set("vllm:gpu_cache_usage_perc" + a + "}", 0.5)
        .set("vllm:gpu_cache_usage_perc" + b + "}", 0.7)
        .counter("vllm:request_success_total" + a + "}", 1)
        .counter("vllm:request_success_total" + b + "}", 1)
        .counter("vllm:prompt_tokens_total" + a + "}", 100)
        .counter("vllm:generation_tokens_total" + a + "}", 50);
    // TTFT: every request between 0.1 s and 0.5 s, so p95 = 0.1 + 0.95 * 0.4 = 0.48 s.
    histogram("vllm:time_to_first_token_seconds", a, 10, new double[] {0.1, 0.5, 1}, 1);
    // e2e: every request between 1 s and 5 s, so p95 = 1 + 0.95 * 4 = 4.8 s.
    histogram("vllm:e2e_request_latency_seconds", a, 10, new double[] {1, 5, 10}, 1);

    String t = "{namespace=\"chat\",pod=\"tgi-mistral-a\"";
    exporter
        .set("tgi_queue_size" + t + "}", 5)
        .set("tgi_batch_current_size" + t + "}", 8)
        .counter("tgi_request_success" + t + "}", 4);
    histogram("tgi_request_duration", t, 4, new double[] {1, 5, 10}, 1);

    // DCGM: one GPU per vLLM pod, one GPU with no pod.
    dcgm("{gpu=\"0\",UUID=\"GPU-0\",namespace=\"llm\",pod=\"vllm-llama-a\"}", 90, 70000, 10000, 91);
    dcgm("{gpu=\"1\",UUID=\"GPU-1\",namespace=\"llm\",pod=\"vllm-llama-b\"}", 10, 1000, 79000, 50);
    dcgm("{gpu=\"2\",UUID=\"GPU-2\",namespace=\"\",pod=\"\"}", 0, 0, 80000, 30);

    // SGLang: only the queue, and its sample is two minutes old.
    exporter.setAt(
        "sglang:num_queue_reqs{namespace=\"llm\",pod=\"sglang-qwen-a\"}",
        9,
        Instant.now().minusSeconds(120).toEpochMilli());
    exporter.set("trtllm_num_requests_waiting{namespace=\"llm\",pod=\"trt-a\"}", 2);

    prometheus = PrometheusServer.start(List.of(exporter.target()));
    client = new PrometheusClient(PrometheusClient.Settings.of(prometheus.url()));
    source = new PrometheusMetricsSource(client);
  }

  private static void histogram(
      String name, String labels, double perSecond, double[] bounds, int bucketWithAll) {
    for (int i = 0; i < bounds.length; i++) {
      double rate = i >= bucketWithAll ? perSecond : 0;
      exporter.counter(name + "_bucket" + labels + ",le=\"" + bounds[i] + "\"}", rate);
    }
    exporter.counter(name + "_bucket" + labels + ",le=\"+Inf\"}", perSecond);
    exporter.counter(name + "_count" + labels + "}", perSecond);
  }

  private static void dcgm(String labels, double util, double used, double free, double temp) {
    exporter
        .set("DCGM_FI_DEV_GPU_UTIL" + labels, util)
        .set("DCGM_FI_DEV_FB_USED" + labels, used)
        .set("DCGM_FI_DEV_FB_FREE" + labels, free)
        .set("DCGM_FI_DEV_GPU_TEMP" + labels, temp)
        .set("DCGM_FI_DEV_XID_ERRORS" + labels, 0);
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (exporter != null) {
      exporter.close();
    }
  }

  private static WorkloadQueries queries(String preset, String namespace, String target) {
    QueryContext c = new QueryContext(QueryContext.podsOf(namespace, target), WINDOW);
    Preset p = Presets.byName(preset).orElseThrow();
    Map<Signal, SignalQuery> q = new EnumMap<>(Signal.class);
    for (Signal s : p.signals().keySet()) {
      q.put(s, p.query(s, c).orElseThrow());
    }
    return WorkloadQueries.of(q);
  }

  private static MetricsReading read(WorkloadQueries q) {
    return source.read(WorkloadRef.deployment("llm", "any"), q, Instant.now(), MAX_AGE);
  }

  private static SignalRead ok(MetricsReading r, Signal s) {
    SignalRead read = r.read(s).orElseThrow();
    assertThat(read.outcome()).as(s + ": " + read.detail()).isEqualTo(Outcome.OK);
    return read;
  }

  @Test
  void vllmPresetReturnsEverySignal() throws Exception {
    WorkloadQueries q = queries("vllm", "llm", "vllm-llama");
    eventually(
        WAIT,
        "every vLLM signal OK",
        () -> {
          MetricsReading r = read(q);
          assertThat(ok(r, Signal.QUEUE).value()).isEqualTo(7);
          assertThat(ok(r, Signal.RUNNING).value()).isEqualTo(10);
          assertThat(ok(r, Signal.KV_CACHE).value()).isCloseTo(0.6, within(1e-9));
          assertThat(ok(r, Signal.TTFT_P95).value()).isCloseTo(0.48, within(0.01));
          assertThat(ok(r, Signal.LATENCY_P95).value()).isCloseTo(4.8, within(0.05));
          assertThat(ok(r, Signal.REQUEST_RATE).value()).isCloseTo(2, within(0.3));
          assertThat(ok(r, Signal.PROMPT_TOKEN_RATE).value()).isCloseTo(100, within(15.0));
          assertThat(ok(r, Signal.GENERATION_TOKEN_RATE).value()).isCloseTo(50, within(8.0));
          assertThat(r.read(Signal.QUEUE).orElseThrow().age()).isLessThan(Duration.ofSeconds(5));
        });
  }

  @Test
  void tgiPresetReturnsItsSignals() throws Exception {
    WorkloadQueries q = queries("tgi", "chat", "tgi-mistral");
    eventually(
        WAIT,
        "TGI signals OK",
        () -> {
          MetricsReading r = read(q);
          assertThat(ok(r, Signal.QUEUE).value()).isEqualTo(5);
          assertThat(ok(r, Signal.RUNNING).value()).isEqualTo(8);
          assertThat(ok(r, Signal.LATENCY_P95).value()).isCloseTo(4.8, within(0.05));
          assertThat(ok(r, Signal.REQUEST_RATE).value()).isCloseTo(4, within(0.6));
          // TGI's token histograms are not served here: missing, not zero.
          assertThat(r.read(Signal.PROMPT_TOKEN_RATE).orElseThrow().outcome())
              .isEqualTo(Outcome.EMPTY);
        });
  }

  @Test
  void dcgmGpusAreJoinedToTheWorkloadsPodsAndXidChangesAreCounted() throws Exception {
    QueryContext c = new QueryContext(QueryContext.podsOf("llm", "vllm-llama"), WINDOW);
    GpuQueries g = Presets.dcgm(c, "pod");
    WorkloadQueries q =
        new WorkloadQueries(Map.of(), Optional.of(g), Optional.empty(), Optional.empty());
    eventually(
        WAIT,
        "DCGM readings",
        () ->
            assertThat(read(q).gpus())
                .containsExactly(
                    new GpuReading("vllm-llama-a", "GPU-0", 90, 70000, 10000, 91, 0),
                    new GpuReading("vllm-llama-b", "GPU-1", 10, 1000, 79000, 50, 0)));
    exporter.set(
        "DCGM_FI_DEV_XID_ERRORS{gpu=\"0\",UUID=\"GPU-0\",namespace=\"llm\",pod=\"vllm-llama-a\"}",
        79);
    eventually(
        WAIT,
        "XID change counted",
        () -> assertThat(read(q).gpus().get(0).xidErrorsInWindow()).isEqualTo(1));
  }

  @Test
  void oldSampleIsStaleAndUnservedSignalsAreMissing() throws Exception {
    WorkloadQueries q = queries("sglang", "llm", "sglang-qwen");
    eventually(
        WAIT,
        "stale SGLang queue",
        () -> {
          MetricsReading r = read(q);
          SignalRead queue = r.read(Signal.QUEUE).orElseThrow();
          assertThat(queue.outcome()).as(queue.detail()).isEqualTo(Outcome.STALE);
          assertThat(queue.value()).isEqualTo(9);
          assertThat(queue.age()).isBetween(Duration.ofSeconds(115), Duration.ofSeconds(180));
          assertThat(queue.reading()).isPresent(); // delivered so that the policy says STALE
          assertThat(r.read(Signal.RUNNING).orElseThrow().outcome()).isEqualTo(Outcome.EMPTY);
          assertThat(r.signals().get(Signal.RUNNING)).isEmpty();
        });
  }

  @Test
  void seriesThatStopsBeingServedBecomesMissing() throws Exception {
    WorkloadQueries q = queries("trtllm-serve", "llm", "trt");
    eventually(
        WAIT, "TRT-LLM queue", () -> assertThat(ok(read(q), Signal.QUEUE).value()).isEqualTo(2));
    exporter.remove("trtllm_num_requests_waiting{namespace=\"llm\",pod=\"trt-a\"}");
    eventually(
        WAIT,
        "queue missing after staleness marker",
        () ->
            assertThat(read(q).read(Signal.QUEUE).orElseThrow().outcome())
                .isEqualTo(Outcome.EMPTY));
  }

  @Test
  void everyPresetQueryIsValidPromQl() {
    for (String name : Presets.names()) {
      WorkloadQueries q = queries(name, "nowhere", "nothing");
      MetricsReading r = read(q);
      for (SignalRead s : r.reads()) {
        assertThat(s.outcome())
            .as(name + " " + s.signal() + ": " + s.detail())
            .isNotEqualTo(Outcome.FAILED);
      }
    }
  }

  @Test
  void badQueryFailsWithItsKindAndRangeQueriesReturnMatrices() throws Exception {
    assertThat(
            source
                .read(
                    WorkloadRef.deployment("llm", "any"),
                    WorkloadQueries.of(Map.of(Signal.QUEUE, SignalQuery.of("sum(("))),
                    Instant.now(),
                    MAX_AGE)
                .read(Signal.QUEUE)
                .orElseThrow()
                .error())
        .contains(PrometheusException.Kind.BAD_QUERY);
    eventually(
        WAIT,
        "range points",
        () -> {
          Instant now = Instant.now();
          QueryResult r =
              client.range(
                  "sum(vllm:num_requests_waiting)",
                  now.minusSeconds(4),
                  now,
                  Duration.ofSeconds(1));
          QueryResult.Matrix m = (QueryResult.Matrix) r;
          assertThat(m.series()).hasSize(1);
          assertThat(m.series().get(0).points()).hasSizeGreaterThanOrEqualTo(3);
          assertThat(m.series().get(0).points())
              .allSatisfy(p -> assertThat(p.value()).isEqualTo(7));
        });
  }
}
