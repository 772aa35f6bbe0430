package dev.foresight.controller.demo;

import dev.foresight.controller.metrics.MetricsReading;
import dev.foresight.controller.metrics.MetricsSource;
import dev.foresight.controller.metrics.SignalRead;
import dev.foresight.controller.metrics.WorkloadQueries;
import dev.foresight.policy.Signal;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.sim.LiveFleet;
import dev.foresight.sim.MetricsSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Reads a fleet's metrics directly, without Prometheus: the simulator's scrape as a policy would
 * see it (scrape interval and metrics delay included), signal by signal with the same outcome rules
 * as the Prometheus source: no sample is {@code EMPTY}, NaN is {@code NAN}, older than the limit is
 * {@code STALE}. Ages are simulated seconds.
 */
final class FleetSource implements MetricsSource {
  private final Function<WorkloadRef, DemoFleet> fleets;

  FleetSource(Function<WorkloadRef, DemoFleet> fleets) {
    this.fleets = fleets;
  }

  @Override
  public MetricsReading read(
      WorkloadRef workload, WorkloadQueries queries, Instant at, Duration maxAge) {
    DemoFleet demo = fleets.apply(workload);
    if (demo == null) {
      throw new IllegalArgumentException(workload + ": no simulated fleet for this workload");
    }
    LiveFleet fleet = demo.fleet();
    MetricsSample sample = fleet.delivered();
    LiveFleet.Snapshot snap = fleet.snapshot();
    List<SignalRead> reads = new ArrayList<>();
    for (Signal signal : queries.signals().keySet()) {
      reads.add(read(signal, sample, snap.seconds(), maxAge));
    }
    return new MetricsReading(
        reads,
        sample == null || queries.gpus().isEmpty() ? List.of() : sample.gpus(),
        Optional.empty(),
        OptionalInt.of(snap.desired()),
        OptionalInt.of(snap.ready()));
  }

  static SignalRead read(Signal signal, MetricsSample sample, double now, Duration maxAge) {
    if (sample == null) {
      return new SignalRead(
          signal,
          SignalRead.Outcome.EMPTY,
          Double.NaN,
          Duration.ZERO,
          Optional.empty(),
          "no scrape yet");
    }
    double value = value(signal, sample);
    Duration age = Duration.ofNanos(Math.max(0, Math.round((now - sample.at()) * 1e9)));
    SignalRead.Outcome outcome;
    if (Double.isNaN(value)) {
      outcome = SignalRead.Outcome.NAN;
    } else if (Double.isInfinite(value)) {
      outcome = SignalRead.Outcome.INFINITE;
    } else if (age.compareTo(maxAge) > 0) {
      outcome = SignalRead.Outcome.STALE;
    } else {
      outcome = SignalRead.Outcome.OK;
    }
    return new SignalRead(
        signal, outcome, value, age, Optional.empty(), "fleet scrape at " + sample.at() + " s");
  }

  private static double value(Signal signal, MetricsSample s) {
    return switch (signal) {
      case QUEUE -> s.waiting();
      case RUNNING -> s.running();
      case KV_CACHE -> s.kvCacheUsage();
      case TTFT_P95 -> s.ttftP95();
      case LATENCY_P95 -> s.latencyP95();
      case REQUEST_RATE -> s.requestRate();
      case PROMPT_TOKEN_RATE -> s.promptTokenRate();
      case GENERATION_TOKEN_RATE -> s.generationTokenRate();
    };
  }
}
