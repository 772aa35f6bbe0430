package dev.foresight.policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything the policy sees of one workload at one instant. Immutable; the instant is passed in,
 * never read from a clock, so a decision can be replayed exactly.
 *
 * @param at the instant of the observation
 * @param currentReplicas the replica count currently desired on the scale target ({@code
 *     spec.replicas})
 * @param readyReplicas replicas that are Ready and serving
 * @param signals the service-level signals that were delivered
 * @param gpus DCGM readings of the GPUs of the workload's pods (empty when DCGM is not scraped)
 */
public record Observation(
    Instant at, int currentReplicas, int readyReplicas, Signals signals, List<GpuReading> gpus) {

  public Observation {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(signals, "signals");
    gpus = List.copyOf(gpus);
    if (currentReplicas < 0 || readyReplicas < 0) {
      throw new IllegalArgumentException(
          "replica counts must not be negative: current="
              + currentReplicas
              + " ready="
              + readyReplicas);
    }
  }

  /** An observation without GPU readings. */
  public static Observation of(
      Instant at, int currentReplicas, int readyReplicas, Signals signals) {
    return new Observation(at, currentReplicas, readyReplicas, signals, List.of());
  }
}
