package dev.foresight.controller.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.controller.metrics.MetricsReading;
import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.controller.metrics.SignalRead.Outcome;
import dev.foresight.controller.metrics.WorkloadQueries;
import dev.foresight.policy.GpuReading;
import dev.foresight.policy.Reading;
import dev.foresight.policy.Signal;
import dev.foresight.policy.WorkloadRef;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The source's joining and rules over scripted query results (the real server is in the IT). */
class PrometheusMetricsSourceTest {

  private static final Instant AT = Instant.parse("2026-11-23T12:00:00Z");
  private static final WorkloadRef W = WorkloadRef.deployment("llm", "vllm-llama");

  private final Map<String, Object> answers = new HashMap<>();

  private final PromQl scripted =
      new PromQl() {
        @Override
        public QueryResult instant(String query, Instant time) throws PrometheusException {
          Object a = answers.get(query);
          if (a instanceof PrometheusException e) {
            throw e;
          }
          return a == null ? new QueryResult.Vector(List.of()) : (QueryResult) a;
        }

        @Override
        public QueryResult range(String q, Instant s, Instant e, Duration step) {
          throw new UnsupportedOperationException();
        }
      };

  private static QueryResult.Sample sample(Map<String, String> labels, double v) {
    return new QueryResult.Sample(labels, AT, v);
  }

  private static QueryResult one(double v) {
    return new QueryResult.Vector(List.of(sample(Map.of(), v)));
  }

  @Test
  void signalsAreReadWithTheirAgeAndFailuresStayLocal() {
    answers.put(
        PrometheusMetricsSource.combined(new SignalQuery("q", Optional.of("q_newest"))),
        new QueryResult.Vector(
            List.of(
                sample(Map.of("foresight_part", "value"), 12),
                sample(Map.of("foresight_part", "newest"), AT.minusSeconds(3).getEpochSecond()))));
    answers.put("kv", new PrometheusException(PrometheusException.Kind.BAD_QUERY, "parse error"));
    WorkloadQueries queries =
        WorkloadQueries.of(
            Map.of(
                Signal.QUEUE, new SignalQuery("q", Optional.of("q_newest")),
                Signal.KV_CACHE, SignalQuery.of("kv"),
                Signal.RUNNING, SignalQuery.of("absent")));
    MetricsReading r =
        new PrometheusMetricsSource(scripted).read(W, queries, AT, Duration.ofSeconds(60));
    assertThat(r.read(Signal.QUEUE).orElseThrow().outcome()).isEqualTo(Outcome.OK);
    assertThat(r.read(Signal.KV_CACHE).orElseThrow().outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.read(Signal.KV_CACHE).orElseThrow().error())
        .contains(PrometheusException.Kind.BAD_QUERY);
    assertThat(r.read(Signal.RUNNING).orElseThrow().outcome()).isEqualTo(Outcome.EMPTY);
    assertThat(r.signals().asMap())
        .containsExactly(Map.entry(Signal.QUEUE, new Reading(12, Duration.ofSeconds(3))));
  }

  @Test
  void gpusAreJoinedOnPodAndUuidAndUnallocatedGpusAreSkipped() {
    Map<String, String> a0 = Map.of("pod", "vllm-llama-a", "UUID", "GPU-0", "gpu", "0");
    Map<String, String> b1 = Map.of("pod", "vllm-llama-b", "UUID", "GPU-1", "gpu", "1");
    Map<String, String> idle = Map.of("pod", "", "UUID", "GPU-2", "gpu", "2");
    answers.put(
        "util", new QueryResult.Vector(List.of(sample(a0, 90), sample(b1, 10), sample(idle, 0))));
    answers.put("used", new QueryResult.Vector(List.of(sample(a0, 70000), sample(b1, 1000))));
    answers.put("free", new QueryResult.Vector(List.of(sample(a0, 10000), sample(b1, 79000))));
    answers.put("temp", new QueryResult.Vector(List.of(sample(a0, 91), sample(b1, 50))));
    answers.put("xid", new QueryResult.Vector(List.of(sample(a0, 2), sample(b1, 0))));
    WorkloadQueries queries =
        new WorkloadQueries(
            Map.of(),
            Optional.of(
                new dev.foresight.controller.metrics.GpuQueries(
                    "util", "used", "free", "temp", "xid", "pod", "UUID")),
            Optional.of("current"),
            Optional.of("ready"));
    answers.put("current", one(3));
    answers.put("ready", one(Double.NaN));
    MetricsReading r =
        new PrometheusMetricsSource(scripted).read(W, queries, AT, Duration.ofSeconds(60));
    assertThat(r.gpus())
        .containsExactly(
            new GpuReading("vllm-llama-a", "GPU-0", 90, 70000, 10000, 91, 2),
            new GpuReading("vllm-llama-b", "GPU-1", 10, 1000, 79000, 50, 0));
    assertThat(r.gpuError()).isEmpty();
    assertThat(r.currentReplicas()).hasValue(3);
    assertThat(r.readyReplicas()).isEmpty();
  }

  @Test
  void gpuQueryFailureIsRecordedByKind() {
    answers.put("util", new PrometheusException(PrometheusException.Kind.TIMEOUT, "slow"));
    WorkloadQueries queries =
        new WorkloadQueries(
            Map.of(),
            Optional.of(
                new dev.foresight.controller.metrics.GpuQueries(
                    "util", "used", "free", "temp", "xid", "pod", "UUID")),
            Optional.empty(),
            Optional.empty());
    MetricsReading r =
        new PrometheusMetricsSource(scripted).read(W, queries, AT, Duration.ofSeconds(60));
    assertThat(r.gpus()).isEmpty();
    assertThat(r.gpuError()).contains(PrometheusException.Kind.TIMEOUT);
  }
}
