package dev.foresight.policy;

import dev.foresight.policy.supply.NodeSupply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the policy sees of one workload at one instant. Immutable; the instant is passed in,
 * never read from a clock, so a decision can be replayed exactly.
 *
 * <p>The last four components feed pre-scaling and node supply; the short constructor and {@link
 * #of} leave them empty, and the {@code with…} methods return a copy with one of them set.
 *
 * @param at the instant of the observation
 * @param currentReplicas the replica count currently desired on the scale target ({@code
 *     spec.replicas})
 * @param readyReplicas replicas that are Ready and serving
 * @param signals the service-level signals that were delivered
 * @param gpus DCGM readings of the GPUs of the workload's pods (empty when DCGM is not scraped)
 * @param podStartups pod start-ups completed since the previous observation, each from pod creation
 *     (or its node becoming initialized, if later) to Ready; every one positive
 * @param nodeProvisionings node provisionings completed since the previous observation, each from
 *     node claim creation to node initialized; every one positive
 * @param slo whether the service-level objective was met over the interval
 * @param supply node supply as this workload sees it, when observed
 */
public record Observation(
    Instant at,
    int currentReplicas,
    int readyReplicas,
    Signals signals,
    List<GpuReading> gpus,
    List<Duration> podStartups,
    List<Duration> nodeProvisionings,
    SloStatus slo,
    Optional<NodeSupply> supply) {

  public Observation {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(signals, "signals");
    gpus = List.copyOf(gpus);
    podStartups = positive("podStartups", podStartups);
    nodeProvisionings = positive("nodeProvisionings", nodeProvisionings);
    Objects.requireNonNull(slo, "slo");
    Objects.requireNonNull(supply, "supply");
    if (currentReplicas < 0 || readyReplicas < 0) {
      throw new IllegalArgumentException(
          "replica counts must not be negative: current="
              + currentReplicas
              + " ready="
              + readyReplicas);
    }
  }

  /** An observation without start-ups, SLO status or node supply. */
  public Observation(
      Instant at, int currentReplicas, int readyReplicas, Signals signals, List<GpuReading> gpus) {
    this(
        at,
        currentReplicas,
        readyReplicas,
        signals,
        gpus,
        List.of(),
        List.of(),
        SloStatus.UNKNOWN,
        Optional.empty());
  }

  /** An observation without GPU readings. */
  public static Observation of(
      Instant at, int currentReplicas, int readyReplicas, Signals signals) {
    return new Observation(at, currentReplicas, readyReplicas, signals, List.of());
  }

  /** A copy with the start-ups completed since the previous observation. */
  public Observation withStartups(List<Duration> podStartups, List<Duration> nodeProvisionings) {
    return new Observation(
        at,
        currentReplicas,
        readyReplicas,
        signals,
        gpus,
        podStartups,
        nodeProvisionings,
        slo,
        supply);
  }

  /** A copy with the SLO status of the interval. */
  public Observation withSlo(SloStatus slo) {
    return new Observation(
        at,
        currentReplicas,
        readyReplicas,
        signals,
        gpus,
        podStartups,
        nodeProvisionings,
        slo,
        supply);
  }

  /** A copy with the workload's node supply. */
  public Observation withSupply(NodeSupply supply) {
    return new Observation(
        at,
        currentReplicas,
        readyReplicas,
        signals,
        gpus,
        podStartups,
        nodeProvisionings,
        slo,
        Optional.of(supply));
  }

  private static List<Duration> positive(String field, List<Duration> durations) {
    List<Duration> copy = List.copyOf(durations);
    for (int i = 0; i < copy.size(); i++) {
      Duration d = copy.get(i);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(
            field + "[" + i + "] is " + d + ", expected a positive duration");
      }
    }
    return copy;
  }
}
