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
 *     kube-state-metrics)
 * @param replicaReader reads replica counts from the cluster (cluster mode: the target's scale
 *     subresource and Ready pods); used when {@code fixedReplicas} is empty. When both are empty
 *     the counts are read with {@code queries}
 */
public record GovernedWorkload(
    WorkloadRef ref,
    PolicySpec spec,
    WorkloadQueries queries,
    Optional<Replicas> fixedReplicas,
    Optional<ReplicaReader> replicaReader) {

  /** Reads the target's replica counts now; empty when they cannot be read (never zero). */
  @FunctionalInterface
  public interface ReplicaReader {
    Optional<Replicas> read();
  }

  /** A workload whose replicas are fixed or read with {@code queries}. */
  public GovernedWorkload(
      WorkloadRef ref, PolicySpec spec, WorkloadQueries queries, Optional<Replicas> fixedReplicas) {
    this(ref, spec, queries, fixedReplicas, Optional.empty());
  }

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
    Objects.requireNonNull(replicaReader, "replicaReader");
    if (fixedReplicas.isEmpty() && replicaReader.isEmpty() && queries.currentReplicas().isEmpty()) {
      throw new IllegalArgumentException(
          ref + ": replicas come neither from configuration, the cluster nor a query");
    }
  }
}
