package dev.foresight.controller.metrics;

import dev.foresight.controller.prometheus.PrometheusException;
import dev.foresight.policy.GpuReading;
import dev.foresight.policy.Signal;
import dev.foresight.policy.Signals;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything read about one workload at one instant: the signals and GPU readings that go into the
 * {@link dev.foresight.policy.Observation}, and how each was read, for the audit.
 *
 * @param reads one entry per queried signal, in {@link Signal} order
 * @param gpus DCGM readings joined to the workload's pods (empty when not queried or not found)
 * @param gpuError the kind of the first DCGM query failure, if any
 * @param currentReplicas the replica count read from Prometheus, when queried and found
 * @param readyReplicas the Ready replica count read from Prometheus, when queried and found
 */
public record MetricsReading(
    List<SignalRead> reads,
    List<GpuReading> gpus,
    Optional<PrometheusException.Kind> gpuError,
    OptionalInt currentReplicas,
    OptionalInt readyReplicas) {

  public MetricsReading {
    reads = List.copyOf(reads);
    gpus = List.copyOf(gpus);
    Objects.requireNonNull(gpuError, "gpuError");
    Objects.requireNonNull(currentReplicas, "currentReplicas");
    Objects.requireNonNull(readyReplicas, "readyReplicas");
  }

  /** The readings delivered to the policy; undelivered signals are absent, never zero. */
  public Signals signals() {
    Signals.Builder b = Signals.builder();
    for (SignalRead r : reads) {
      r.reading().ifPresent(reading -> b.put(r.signal(), reading));
    }
    return b.build();
  }

  /** How {@code signal} was read, if it was queried. */
  public Optional<SignalRead> read(Signal signal) {
    return reads.stream().filter(r -> r.signal() == signal).findFirst();
  }
}
