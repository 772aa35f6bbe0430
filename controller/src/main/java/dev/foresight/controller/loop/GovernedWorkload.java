package dev.foresight.controller.loop;

import dev.foresight.controller.metrics.WorkloadQueries;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.WorkloadRef;
import java.util.Objects;
import java.util.Optional;

/**
 * One workload the loop evaluates.
 *
 * @param ref its identity
 * @param spec its policy
 * @param queries what to read from Prometheus about it
 * @param fixedReplicas replica counts given by configuration (standalone mode without
 *     kube-state-metrics); when empty they are read with {@code queries}
 */
public record GovernedWorkload(
    WorkloadRef ref, PolicySpec spec, WorkloadQueries queries, Optional<Replicas> fixedReplicas) {

  /**
   * Replica counts of the scale target.
   *
   * @param current {@code spec.replicas}
   * @param ready Ready replicas
   */
  public record Replicas(int current, int ready) {
    public Replicas {
      if (current < 0 || ready < 0) {
        throw new IllegalArgumentException("replica counts must not be negative");
      }
    }
  }

  public GovernedWorkload {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(queries, "queries");
    Objects.requireNonNull(fixedReplicas, "fixedReplicas");
    if (fixedReplicas.isEmpty() && queries.currentReplicas().isEmpty()) {
      throw new IllegalArgumentException(
          ref + ": replicas come neither from configuration nor from a query");
    }
  }
}
