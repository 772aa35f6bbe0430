package dev.foresight.controller.prometheus;

import dev.foresight.controller.metrics.GpuQueries;
import dev.foresight.controller.metrics.MetricsReading;
import dev.foresight.controller.metrics.MetricsSource;
import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.controller.metrics.SignalRead;
import dev.foresight.controller.metrics.TickReads;
import dev.foresight.controller.metrics.WorkloadQueries;
import dev.foresight.policy.GpuReading;
import dev.foresight.policy.Signal;
import dev.foresight.policy.WorkloadRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The {@link MetricsSource} backed by Prometheus: runs each signal's value and newest-sample-time
 * queries at the observation instant and applies {@link SampleRules}; reads DCGM per GPU and joins
 * the series on pod and GPU; reads replica counts when asked. Within a loop tick, preset signal
 * queries of many workloads are batched ({@link #startTick}).
 */
public final class PrometheusMetricsSource implements MetricsSource {

  private final PromQl prometheus;
  private final int maxBatch;

  /**
   * Runs batched requests: daemon threads made on demand and dropped after 30 s idle. At most one
   * per batch of a tick is busy; a tick's unfinished requests are interrupted when it ends.
   */
  private final ExecutorService batchThreads =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          30,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          r -> {
            Thread t = new Thread(r, "foresight-prometheus-batch");
            t.setDaemon(true);
            return t;
          });

  public PrometheusMetricsSource(PromQl prometheus) {
    this(prometheus, SignalBatches.MAX_MEMBERS);
  }

  /**
   * @param maxBatch most workloads' queries of one signal in one request
   */
  public PrometheusMetricsSource(PromQl prometheus, int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
    }
    this.prometheus = prometheus;
    this.maxBatch = maxBatch;
  }

  @Override
  public MetricsReading read(
      WorkloadRef workload, WorkloadQueries queries, Instant at, Duration maxAge) {
    return read(queries, at, (signal, q) -> readSignal(signal, q, at, maxAge));
  }

  /**
   * Batches the preset signal queries of the tick ({@link SignalBatches}): one request per signal
   * for up to {@code maxBatch} workloads (default {@value SignalBatches#MAX_MEMBERS}) instead of
   * one per workload; custom PromQL, DCGM and replica queries stay per workload.
   */
  @Override
  public TickReads startTick(Collection<WorkloadQueries> queries, Instant at) {
    return SignalBatches.start(this, queries, at, prometheus, batchThreads, maxBatch);
  }

  /** How one signal is read: on its own, or from a batch's answer. */
  @FunctionalInterface
  interface SignalReader {
    SignalRead read(Signal signal, SignalQuery query);
  }

  MetricsReading read(WorkloadQueries queries, Instant at, SignalReader signals) {
    List<SignalRead> reads = new ArrayList<>(queries.signals().size());
    for (Map.Entry<Signal, SignalQuery> e : queries.signals().entrySet()) {
      reads.add(signals.read(e.getKey(), e.getValue()));
    }
    List<GpuReading> gpus = new ArrayList<>();
    Optional<PrometheusException.Kind> gpuError = Optional.empty();
    if (queries.gpus().isPresent()) {
      try {
        gpus.addAll(readGpus(queries.gpus().get(), at));
      } catch (PrometheusException e) {
        gpuError = Optional.of(e.kind());
      }
    }
    return new MetricsReading(
        reads,
        gpus,
        gpuError,
        count(queries.currentReplicas(), at),
        count(queries.readyReplicas(), at));
  }

  SignalRead readSignal(Signal signal, SignalQuery query, Instant at, Duration maxAge) {
    try {
      if (query.newestSampleTime().isEmpty()) {
        return SampleRules.interpret(
            signal, prometheus.instant(query.value(), at), Optional.empty(), at, maxAge);
      }
      // One request for both: the value and the newest sample time, told apart by a label.
      QueryResult both = prometheus.instant(combined(query), at);
      if (!(both instanceof QueryResult.Vector vector)) {
        return SampleRules.interpret(signal, both, Optional.empty(), at, maxAge);
      }
      List<QueryResult.Sample> value = new ArrayList<>();
      List<QueryResult.Sample> newest = new ArrayList<>();
      for (QueryResult.Sample s : vector.samples()) {
        Map<String, String> labels = new java.util.HashMap<>(s.labels());
        String part = labels.remove(PART);
        (NEWEST.equals(part) ? newest : value)
            .add(new QueryResult.Sample(labels, s.at(), s.value()));
      }
      return SampleRules.interpret(
          signal,
          new QueryResult.Vector(value),
          Optional.of(new QueryResult.Vector(newest)),
          at,
          maxAge);
    } catch (PrometheusException e) {
      return SampleRules.failed(signal, e);
    }
  }

  static final String PART = "foresight_part";
  static final String NEWEST = "newest";

  /**
   * The value and newest-sample-time queries as one expression: {@code label_replace((value),
   * "foresight_part", "value", "", "") or label_replace((newest), "foresight_part", "newest", "",
   * "")}. Both are instant vectors, so the result holds the value's series and the newest time,
   * told apart by the label; one request instead of two.
   */
  static String combined(SignalQuery q) {
    return "label_replace(("
        + q.value()
        + "), \""
        + PART
        + "\", \"value\", \"\", \"\") or label_replace(("
        + q.newestSampleTime().orElseThrow()
        + "), \""
        + PART
        + "\", \""
        + NEWEST
        + "\", \"\", \"\")";
  }

  /** A replica count: one finite, non-negative sample; anything else is unknown. */
  private OptionalInt count(Optional<String> query, Instant at) {
    if (query.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      QueryResult r = prometheus.instant(query.get(), at);
      double v;
      if (r instanceof QueryResult.Vector vec && vec.samples().size() == 1) {
        v = vec.samples().get(0).value();
      } else if (r instanceof QueryResult.Scalar s) {
        v = s.value();
      } else {
        return OptionalInt.empty();
      }
      return Double.isFinite(v) && v >= 0 && v <= Integer.MAX_VALUE
          ? OptionalInt.of((int) Math.round(v))
          : OptionalInt.empty();
    } catch (PrometheusException e) {
      return OptionalInt.empty();
    }
  }

  private List<GpuReading> readGpus(GpuQueries q, Instant at) throws PrometheusException {
    Map<String, double[]> byGpu = new TreeMap<>();
    Map<String, String[]> ids = new TreeMap<>();
    String[] queries = {
      q.utilizationPercent(),
      q.framebufferUsedMiB(),
      q.framebufferFreeMiB(),
      q.temperatureCelsius(),
      q.xidErrorsInWindow()
    };
    for (int i = 0; i < queries.length; i++) {
      QueryResult r = prometheus.instant(queries[i], at);
      if (!(r instanceof QueryResult.Vector vec)) {
        continue;
      }
      for (QueryResult.Sample s : vec.samples()) {
        String pod = s.labels().get(q.podLabel());
        if (pod == null || pod.isEmpty()) {
          continue; // a GPU not allocated to a pod (DCGM reports pod="")
        }
        String gpu = s.labels().getOrDefault(q.gpuLabel(), s.labels().getOrDefault("gpu", "?"));
        String key = pod + "\u0000" + gpu;
        byGpu
                .computeIfAbsent(
                    key,
                    k -> new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN})[
                i] =
            s.value();
        ids.putIfAbsent(key, new String[] {pod, gpu});
      }
    }
    List<GpuReading> gpus = new ArrayList<>(byGpu.size());
    byGpu.forEach(
        (key, v) -> {
          String[] id = ids.get(key);
          long xid = Double.isFinite(v[4]) && v[4] > 0 ? Math.round(v[4]) : 0;
          gpus.add(new GpuReading(id[0], id[1], v[0], v[1], v[2], v[3], xid));
        });
    return gpus;
  }
}
